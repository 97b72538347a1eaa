import { useMemo, useState } from 'react';
import { dnsRecordName, edgeTargetKinds, KIND_TRAITS, type Topology } from '../../../core/model/index.js';
import { useLab, useLabController } from '../context.js';
import type { LoadInput, TrafficRun } from '../types.js';
import { httpsUnavailable } from '../https.js';
import { HttpsToggle } from './HttpsToggle.js';
import { AddressBars, BackendBars, HistogramChart, LatencyChart, RpsChart, StatusBars } from './Charts.js';
import { MethodPathFields } from './MethodPathFields.js';
import { RefusalNotice } from './RefusalNotice.js';

/** Clients, targets (nodes, then the DNS names of the design's zones) and forward proxies of a design, for the selects. */
export function trafficChoices(doc: Topology): { clients: string[]; targets: string[]; proxies: string[] } {
  // Traffic goes to what a client may send to (one address that listens), through what takes proxy requests.
  const targets = edgeTargetKinds('client');
  const ids = (pred: (node: Topology['nodes'][number]) => boolean) => doc.nodes.filter(pred).map((n) => n.id);
  // A name is sent to as a client would: resolved through the lab's DNS on every request.
  const names = doc.nodes.flatMap((n) => (n.kind === 'dns-zone' ? n.records.filter((r) => r.type !== 'TXT').map((r) => dnsRecordName(n, r)) : []));
  return {
    clients: ids((n) => n.kind === 'client'),
    targets: [...ids((n) => targets.includes(n.kind)), ...new Set(names)],
    proxies: ids((n) => KIND_TRAITS[n.kind].receives === 'proxy'),
  };
}

/** The entry a client is drawn sending to (its first traffic edge), else the first target. */
function defaultTarget(doc: Topology, from: string, targets: string[]): string {
  const edge = doc.edges.find((e) => e.from === from && targets.includes(e.to));
  return edge?.to ?? targets[0] ?? '';
}

/** Traffic form, progress bar with cancel, and the live charts of the current (or last) run. */
export function TrafficPanel({ doc }: { doc: Topology }) {
  const controller = useLabController();
  const running = useLab((s) => s.phase === 'running');
  const activeRunId = useLab((s) => s.activeRunId);
  const lastRun = useLab((s) => s.runs.at(-1));
  const choices = useMemo(() => trafficChoices(doc), [doc]);
  const [from, setFrom] = useState(choices.clients[0] ?? '');
  const [to, setTo] = useState(() => defaultTarget(doc, choices.clients[0] ?? '', choices.targets));
  const [via, setVia] = useState('');
  const [path, setPath] = useState('/');
  const [method, setMethod] = useState('GET');
  const [mode, setMode] = useState<'requests' | 'duration'>('requests');
  const [amount, setAmount] = useState(200);
  const [concurrency, setConcurrency] = useState(10);
  const [problem, setProblem] = useState<string | null>(null);
  const [https, setHttps] = useState(false);
  const httpsReason = httpsUnavailable(doc, to, via);

  const start = () => {
    if (!to) return setProblem('Choose a node to send to.');
    if (!(amount > 0)) return setProblem(mode === 'requests' ? 'Send at least one request.' : 'Run for more than 0 seconds.');
    if (!(concurrency >= 1 && concurrency <= 2000)) return setProblem('Concurrency is 1 to 2000.');
    setProblem(null);
    const input: Omit<LoadInput, 'runId'> = {
      to,
      path: path.startsWith('/') ? path : `/${path}`,
      method,
      concurrency: Math.round(concurrency),
      ...(from ? { from } : {}),
      ...(via ? { via } : {}),
      ...(https && httpsReason === undefined ? { https: true } : {}),
      ...(mode === 'requests' ? { requests: Math.round(amount) } : { durationSeconds: amount }),
    };
    void controller.runTraffic(input);
  };

  return (
    <div className="lab-traffic" data-testid="traffic-panel">
      <form
        className="lab-form"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <label>
          From
          <select data-testid="traffic-from" value={from} onChange={(e) => (setFrom(e.target.value), setTo(defaultTarget(doc, e.target.value, choices.targets)))}>
            <option value="">(outside the design)</option>
            {choices.clients.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          To
          <select data-testid="traffic-to" value={to} onChange={(e) => setTo(e.target.value)}>
            {choices.targets.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        {choices.proxies.length > 0 ? (
          <label>
            Via proxy
            <select data-testid="traffic-via" value={via} onChange={(e) => setVia(e.target.value)}>
              <option value="">(direct)</option>
              {choices.proxies.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <HttpsToggle testIdPrefix="traffic" checked={https} unavailable={httpsReason} onChange={setHttps} />
        <MethodPathFields testIdPrefix="traffic" method={method} path={path} onMethod={setMethod} onPath={setPath} />
        <label>
          <select aria-label="Amount kind" data-testid="traffic-mode" value={mode} onChange={(e) => setMode(e.target.value as 'requests' | 'duration')}>
            <option value="requests">Requests</option>
            <option value="duration">Seconds</option>
          </select>
          <input type="number" min={1} data-testid="traffic-amount" value={amount} onChange={(e) => setAmount(Number(e.target.value))} />
        </label>
        <label>
          Concurrency
          <input type="number" min={1} max={2000} data-testid="traffic-concurrency" value={concurrency} onChange={(e) => setConcurrency(Number(e.target.value))} />
        </label>
        <div className="lab-form-actions">
          {activeRunId ? (
            <button type="button" className="button danger" data-testid="traffic-cancel" onClick={() => void controller.cancel()}>
              Cancel
            </button>
          ) : (
            <button type="submit" className="button primary" data-testid="traffic-start" disabled={!running}>
              Send traffic
            </button>
          )}
        </div>
      </form>
      {problem ? (
        <p className="lab-problem" role="alert">
          {problem}
        </p>
      ) : null}
      {lastRun ? <RunView run={lastRun} /> : <p className="muted lab-hint">Choose a client and a target, then send traffic: the charts fill in live and the edges on the canvas carry it.</p>}
    </div>
  );
}

/** Progress and charts of one run. */
export function RunView({ run }: { run: TrafficRun }) {
  const percent = Math.round(run.fraction * 100);
  const result = run.result;
  return (
    <div className="lab-run" data-testid="traffic-run" data-phase={run.phase} data-run-id={run.id}>
      <div className="lab-run-head">
        <span className="lab-run-label">{run.label}</span>
        <div className="lab-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="traffic-progress">
          <span style={{ width: `${percent}%` }} />
        </div>
        <span className="lab-run-count" data-testid="traffic-completed">
          {run.completed} done · {run.phase}
        </span>
      </div>
      {run.refusal ? (
        <RefusalNotice refusal={run.refusal} sent={false} testIdPrefix="traffic" />
      ) : run.error ? (
        <p className="lab-problem" role="alert" data-testid="traffic-error">
          {run.error}
        </p>
      ) : null}
      {result ? (
        <p className="lab-summary" data-testid="traffic-summary">
          {result.requests} requests in {result.durationMs} ms · {result.rps} req/s · p50 {result.latency.p50} ms · p99 {result.latency.p99} ms{result.aborted ? ' · cancelled' : ''}
          {result.url ? (
            <>
              {' · '}
              <span className="mono" data-testid="traffic-url" title="The URL the run asked for (https: through the node's TLS listener)">
                {result.url}
              </span>
            </>
          ) : null}
        </p>
      ) : null}
      <div className="lab-charts">
        <div className="lab-bars-column">
          <BackendBars byServer={run.byServer} />
          {result ? <AddressBars byAddress={result.byAddress} /> : null}
          <StatusBars status={run.status} />
        </div>
        <RpsChart series={run.series} />
        <LatencyChart series={run.series} />
        <HistogramChart counts={run.histogram} />
      </div>
    </div>
  );
}
