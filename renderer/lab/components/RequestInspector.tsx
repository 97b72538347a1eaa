import { useMemo, useState } from 'react';
import type { Topology } from '../../../core/model/index.js';
import { call } from '../../lib/api.js';
import { failureText } from '../controller.js';
import { useLab, useLabController } from '../context.js';
import { compareWithPrediction, expectedServers, observedChain, observedPath, type Finding, type ObservedPath, type TraceResult } from '../predict.js';
import type { SingleRequestResult } from '../types.js';
import { trafficChoices } from './TrafficPanel.js';
import { httpsPort, httpsUnavailable } from '../https.js';
import { HttpsToggle } from './HttpsToggle.js';
import { MethodPathFields } from './MethodPathFields.js';
import { RefusalNotice } from './RefusalNotice.js';

type Refusal = NonNullable<SingleRequestResult['blocked']>;

interface Inspection {
  from: string;
  trace?: TraceResult;
  traceError?: string;
  expected: string[];
  to: string;
  result: SingleRequestResult;
  observed: ObservedPath;
  findings: Finding[];
}

/** Sends one request and shows the predicted path next to the observed one, hop by hop. */
export function RequestInspector({ doc }: { doc: Topology }) {
  const controller = useLabController();
  const running = useLab((s) => s.phase === 'running');
  const choices = useMemo(() => trafficChoices(doc), [doc]);
  const [from, setFrom] = useState(choices.clients[0] ?? '');
  const [to, setTo] = useState(() => doc.edges.find((e) => e.from === choices.clients[0])?.to ?? choices.targets[0] ?? '');
  const [via, setVia] = useState('');
  const [target, setTarget] = useState('');
  const [path, setPath] = useState('/');
  const [method, setMethod] = useState('GET');
  const [busy, setBusy] = useState(false);
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [blocked, setBlocked] = useState<TraceResult | null>(null);
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [https, setHttps] = useState(false);
  const httpsReason = httpsUnavailable(doc, to, via);
  const secure = https && httpsReason === undefined;

  const send = async () => {
    setBusy(true);
    setError(null);
    setBlocked(null);
    setRefused(null);
    try {
      const entry = via || to;
      let trace: TraceResult | undefined;
      let traceError: string | undefined;
      if (from) {
        try {
          // Over HTTPS the flow is checked on the designed TLS port, as the lab checks it.
          const port = secure ? httpsPort(doc, to) : undefined;
          trace = await call('trace', { topology: doc, from, to: entry, ...(port !== undefined ? { port } : {}) });
        } catch (e) {
          traceError = failureText(e);
        }
      }
      // The design blocks this flow: the lab would refuse it as the network would, so show
      // the block the way a trace does instead of sending a request bound to fail.
      if (trace?.verdict === 'blocked') {
        setBlocked(trace);
        setInspection(null);
        return;
      }
      const result = await controller.request({
        to,
        path: path.startsWith('/') ? path : `/${path}`,
        method,
        ...(from ? { from } : {}),
        ...(via ? { via } : {}),
        ...(via && target ? { target } : {}),
        ...(secure ? { https: true } : {}),
      });
      // The running lab (faults and live edits included) refused the first leg: the design's
      // answer, shown as such; nothing was sent, so there is nothing observed to compare.
      if (result.blocked && !result.blocked.sent) {
        setRefused(result.blocked);
        setInspection(null);
        return;
      }
      const observed = observedPath(result);
      const expected = via && target ? [] : expectedServers(doc, to);
      const findings = compareWithPrediction({ ...(trace ? { trace } : {}), expected, to: entry }, observed);
      setInspection({ from, ...(trace ? { trace } : {}), ...(traceError ? { traceError } : {}), expected, to: entry, result, observed, findings });
    } catch (e) {
      setError(failureText(e));
      setInspection(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="lab-inspector" data-testid="request-inspector">
      <form
        className="lab-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label>
          From
          <select data-testid="request-from" value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="">(outside the design)</option>
            {choices.clients.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <label>
          To
          <select data-testid="request-to" value={to} onChange={(e) => setTo(e.target.value)}>
            {choices.targets.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        {choices.proxies.length > 0 ? (
          <>
            <label>
              Via proxy
              <select data-testid="request-via" value={via} onChange={(e) => setVia(e.target.value)}>
                <option value="">(direct)</option>
                {choices.proxies.map((id) => (
                  <option key={id}>{id}</option>
                ))}
              </select>
            </label>
            <label className="wide">
              Ask the proxy for (URL, optional)
              <input data-testid="request-target" placeholder="http://host.example/" value={target} disabled={!via} onChange={(e) => setTarget(e.target.value)} />
            </label>
          </>
        ) : null}
        <HttpsToggle testIdPrefix="request" checked={https} unavailable={httpsReason} onChange={setHttps} />
        <MethodPathFields testIdPrefix="request" method={method} path={path} onMethod={setMethod} onPath={setPath} />
        <div className="lab-form-actions">
          <button type="submit" className="button primary" data-testid="request-send" disabled={!running || busy || !to}>
            {busy ? 'Sending…' : 'Send one request'}
          </button>
        </div>
      </form>
      {error ? (
        <p className="lab-problem" role="alert" data-testid="request-error">
          {error}
        </p>
      ) : null}
      {blocked ? <BlockedView trace={blocked} /> : null}
      {refused ? <RefusalNotice refusal={refused} sent={refused.sent} testIdPrefix="request" /> : null}
      {inspection ? <InspectionView inspection={inspection} /> : null}
    </div>
  );
}

/** A request the design blocks: the trace's path and the blocker, nothing sent. */
function BlockedView({ trace }: { trace: TraceResult }) {
  return (
    <div className="lab-inspection" data-testid="request-blocked">
      <p className="lab-problem" role="status">
        Not sent: the design blocks this flow at <b data-testid="request-blocked-by">{trace.blockedBy?.nodeId}</b>, so the lab refuses it as the network would.
      </p>
      <PredictedHops trace={trace} />
    </div>
  );
}

/** The trace's hops and its verdict. */
function PredictedHops({ trace }: { trace: TraceResult }) {
  return (
    <ol className="lab-hops" data-testid="predicted-hops" data-verdict={trace.verdict}>
      {trace.hops.map((hop, i) => (
        <li key={i}>
          <span className="hop-kind">{hop.kind}</span> {hop.description}
        </li>
      ))}
      <li className={trace.verdict === 'blocked' ? 'hop-blocked' : 'hop-ok'}>{trace.verdict === 'blocked' ? `blocked by ${trace.blockedBy?.nodeId}: ${trace.blockedBy?.reason}` : 'reachable'}</li>
    </ol>
  );
}

function InspectionView({ inspection }: { inspection: Inspection }) {
  const { observed, result, trace } = inspection;
  return (
    <div className="lab-inspection" data-testid="inspection" data-status={observed.status}>
      {result.blocked ? <RefusalNotice refusal={result.blocked} sent={result.blocked.sent} testIdPrefix="request" /> : null}
      {inspection.findings.length > 0 ? (
        <ul className="lab-findings" data-testid="findings">
          {inspection.findings.map((f, i) => (
            <li key={i} className={`finding-${f.severity}`} data-testid="finding" data-about={f.about ?? 'path'}>
              {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {/* The path can agree while the addresses differ (the lab runs on loopback): said apart. */}
      {inspection.findings.every((f) => f.about === 'address') ? (
        <p className="lab-agree" data-testid="prediction-agrees">
          {inspection.findings.length > 0 ? 'The predicted and observed paths agree; the addresses differ, as said above.' : 'Predicted and observed agree.'}
        </p>
      ) : null}
      <div className="lab-columns">
        <section>
          <h4>Predicted by the design</h4>
          {trace ? (
            <PredictedHops trace={trace} />
          ) : (
            <p className="muted">{inspection.traceError ?? 'No client chosen: the request enters from outside the design.'}</p>
          )}
          {inspection.expected.length > 0 ? (
            <p>
              Then {inspection.to} forwards to one of: <b data-testid="expected-servers">{inspection.expected.join(', ')}</b>
            </p>
          ) : null}
        </section>
        <section>
          <h4>Observed in the lab</h4>
          <p className="lab-chain" data-testid="observed-chain">
            {observedChain(inspection.from, observed).join(' → ')}
          </p>
          <dl className="lab-observed">
            <dt>URL</dt>
            <dd className="mono" data-testid="observed-url">
              {result.url ?? '—'}
            </dd>
            <dt>Status</dt>
            <dd data-testid="observed-status">{observed.status === 0 ? `no response: ${observed.error ?? ''}` : observed.status}</dd>
            <dt>Timing</dt>
            <dd>
              headers {observed.headersMs} ms · total {observed.totalMs} ms
            </dd>
            <dt>Served by</dt>
            <dd data-testid="observed-served-by">{observed.servedBy ?? '—'}</dd>
            <dt>Via</dt>
            <dd data-testid="observed-via">{observed.via.join(' → ') || '—'}</dd>
            <dt>X-Cache</dt>
            <dd data-testid="observed-cache">{observed.cache ?? '—'}</dd>
            <dt>X-Forwarded-For</dt>
            <dd data-testid="observed-xff">{observed.forwardedFor ?? '—'}</dd>
            {observed.blockedBy ? (
              <>
                <dt>Blocked by</dt>
                <dd data-testid="observed-blocked-by">{observed.blockedBy}</dd>
              </>
            ) : null}
          </dl>
          <details>
            <summary>Response headers and body</summary>
            <table className="lab-table">
              <tbody>
                {Object.entries(result.headers).map(([k, v]) => (
                  <tr key={k}>
                    <th>{k}</th>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <pre className="lab-body">{result.body.slice(0, 4000)}</pre>
          </details>
        </section>
      </div>
    </div>
  );
}
