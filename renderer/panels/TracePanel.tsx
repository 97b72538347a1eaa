import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../core/api/contract/index.js';
import { KIND_LABELS, KIND_TRAITS, type Topology } from '../../core/model/index.js';
import { flowEdgeId } from '../actions/connect.js';
import { call, errorCode, errorMessage } from '../lib/api.js';
import { useEditor } from '../lib/context.js';
import type { Highlight } from '../store/editor.js';
import { useStore } from '../store/useStore.js';

/** What `trace` answers (the contract's type). */
export type TraceResult = MethodOutput<'trace'>;

/** Canvas highlight of a trace: the nodes on the path, the drawn edges between them, the blocker. */
export function traceHighlight(doc: Topology, result: TraceResult): Highlight {
  const nodes = [...new Set(result.hops.flatMap((h) => (h.nodeId ? [h.nodeId] : [])))];
  const onPath = new Set(nodes);
  const edges: string[] = [];
  for (const edge of doc.edges) if (onPath.has(edge.from) && onPath.has(edge.to)) edges.push(edge.id);
  for (const node of doc.nodes) {
    if (node.kind === 'route-table' && onPath.has(node.id)) {
      for (const s of node.subnets) if (onPath.has(s)) edges.push(flowEdgeId({ kind: 'association', table: node.id, subnet: s }));
    }
    if (node.kind === 'peering' && onPath.has(node.id)) {
      for (const v of node.vpcs) if (onPath.has(v)) edges.push(flowEdgeId({ kind: 'peering', peering: node.id, vpc: v }));
    }
  }
  return result.blockedBy ? { nodes, edges, blocked: result.blockedBy.nodeId } : { nodes, edges };
}

/** What blocks, in a line: `network ACL · inbound response · rule 120`, `security group · outbound`, `routing: no-route`. */
export function blockedByText(blockedBy: NonNullable<TraceResult['blockedBy']>): string {
  if (blockedBy.code === 'network-acl') return `network ACL ${blockedBy.nodeId} · ${blockedBy.direction} ${blockedBy.leg} · ${blockedBy.rule === null ? 'no rule matched: the final deny (*)' : `rule ${blockedBy.rule}`}`;
  if (blockedBy.code === 'security-group') return `security groups of ${blockedBy.nodeId} · ${blockedBy.direction} · no rule allows it`;
  return `routing · ${blockedBy.code}`;
}

/**
 * The reachability tool: pick a source and a destination (or click two nodes), and see
 * the path hop by hop with the route each table chose, or the component that blocks the
 * flow and why. Asks the service's `trace`, the same answer the CLI and the lab give.
 */
export function TracePanel() {
  const editor = useEditor();
  const doc = useStore(editor.store, (s) => s.history.present.doc);
  const tool = useStore(editor.store, (s) => s.traceTool);
  const [destinationText, setDestinationText] = useState('');
  const [port, setPort] = useState('');
  const [protocol, setProtocol] = useState<'tcp' | 'udp' | 'icmp'>('tcp');
  const [sourcePort, setSourcePort] = useState('');
  const sources = doc.nodes.filter((n) => KIND_TRAITS[n.kind].traceEndpoint);
  const destination = tool.destination ?? (destinationText.trim() || undefined);
  const [outcome, setOutcome] = useState<{ result?: TraceResult; error?: string } | null>(null);
  useEffect(() => {
    const from = tool.source;
    if (!from || !destination) return setOutcome(null);
    const portNumber = port.trim() === '' || protocol === 'icmp' ? undefined : Number(port);
    if (portNumber !== undefined && (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535)) return setOutcome({ error: 'the port is a whole number from 1 to 65535' });
    const sourcePortNumber = sourcePort.trim() === '' || protocol === 'icmp' ? undefined : Number(sourcePort);
    if (sourcePortNumber !== undefined && (!Number.isInteger(sourcePortNumber) || sourcePortNumber < 1 || sourcePortNumber > 65535)) return setOutcome({ error: 'the source port is a whole number from 1 to 65535' });
    // Only the answer to the latest question counts: an edit or a new pick drops the one in flight.
    let current = true;
    const flow = { protocol, ...(portNumber !== undefined ? { port: portNumber } : {}), ...(sourcePortNumber !== undefined ? { sourcePort: sourcePortNumber } : {}) };
    call('trace', { topology: doc, from, to: destination, ...flow }).then(
      (result) => current && setOutcome({ result }),
      (error: unknown) => {
        // An unknown or untraceable endpoint is the user's input; anything else is the trace failing.
        const code = errorCode(error);
        if (current) setOutcome({ error: code === 'not-found' || code === 'bad-input' ? errorMessage(error) : `the trace failed: ${errorMessage(error)}` });
      },
    );
    return () => {
      current = false;
    };
  }, [doc, tool.source, destination, port, protocol, sourcePort]);
  useEffect(() => {
    editor.setHighlight(outcome?.result ? traceHighlight(doc, outcome.result) : null);
  }, [outcome, doc, editor]);
  // A new answer brings its whole path into view (if any of it is hidden): fitted, far out
  // if need be (the far view keeps titles legible), else centred on the blocker or the
  // destination when even that does not hold it.
  const result = outcome?.result;
  useEffect(() => {
    if (!result) return;
    const path = traceHighlight(editor.doc, result);
    const blocker = result.blockedBy?.nodeId;
    const anchor = blocker ?? path.nodes.at(-1);
    editor.reveal(blocker ? [...path.nodes, blocker] : path.nodes, anchor ? [anchor] : undefined, 'covered', true);
  }, [result, editor]);
  if (!tool.active) return null;
  const label = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    return n ? `${n.name ?? n.id} (${KIND_LABELS[n.kind]})` : id;
  };
  return (
    <section className="trace-panel" data-testid="trace-panel" aria-label="Reachability">
      <header className="panel-header">
        <h2>Reachability</h2>
        <button type="button" className="icon-button" aria-label="Close reachability" data-testid="trace-close" onClick={() => editor.setTraceTool({ active: false })}>
          ×
        </button>
      </header>
      <p className="muted small">{!tool.source ? 'Click the source node on the canvas, or pick it here.' : !destination ? 'Now click the destination, or type an address.' : 'Click another node to start a new trace.'}</p>
      <div className="field-row">
        <div className="field">
          <label htmlFor="trace-from">From</label>
          <select id="trace-from" data-testid="trace-from" value={tool.source ?? ''} onChange={(e) => editor.setTraceTool({ active: true, ...(e.target.value ? { source: e.target.value } : {}), ...(tool.destination ? { destination: tool.destination } : {}) })}>
            <option value="">Choose…</option>
            {sources.map((n) => (
              <option key={n.id} value={n.id}>
                {label(n.id)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="trace-to">To (node or address)</label>
          <input
            id="trace-to"
            data-testid="trace-to"
            list="trace-targets"
            value={tool.destination ?? destinationText}
            placeholder="web-1 or 10.0.2.10"
            onChange={(e) => {
              setDestinationText(e.target.value);
              editor.setTraceTool({ active: true, ...(tool.source ? { source: tool.source } : {}) });
            }}
          />
          <datalist id="trace-targets">
            {doc.nodes.map((n) => (
              <option key={n.id} value={n.id}>
                {label(n.id)}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field narrow">
          <label htmlFor="trace-port">Port</label>
          <input id="trace-port" data-testid="trace-port" value={port} inputMode="numeric" placeholder="80" disabled={protocol === 'icmp'} onChange={(e) => setPort(e.target.value)} />
        </div>
      </div>
      <div className="field-row">
        <div className="field narrow">
          <label htmlFor="trace-protocol">Protocol</label>
          <select id="trace-protocol" data-testid="trace-protocol" value={protocol} onChange={(e) => setProtocol(e.target.value as 'tcp' | 'udp' | 'icmp')}>
            <option value="tcp">tcp</option>
            <option value="udp">udp</option>
            <option value="icmp">icmp</option>
          </select>
        </div>
        <div className="field narrow">
          <label htmlFor="trace-source-port">Source port</label>
          <input
            id="trace-source-port"
            data-testid="trace-source-port"
            value={sourcePort}
            inputMode="numeric"
            placeholder="ephemeral"
            disabled={protocol === 'icmp'}
            title="The initiator's source port: network ACLs must let the reply back to it (empty: every port of its ephemeral range)"
            onChange={(e) => setSourcePort(e.target.value)}
          />
        </div>
      </div>
      {outcome?.error ? (
        <div className="error-state small" data-testid="trace-error">
          {outcome.error}
        </div>
      ) : null}
      {outcome?.result ? (
        <div className="trace-result" data-testid="trace-result" data-verdict={outcome.result.verdict}>
          <div className={`verdict verdict-${outcome.result.verdict}`} data-testid="trace-verdict">
            {outcome.result.verdict === 'reachable' ? '✓ Reachable' : '✕ Blocked'}
          </div>
          {outcome.result.blockedBy ? (
            <div className="blocked-reason" data-testid="trace-blocked-reason" data-node={outcome.result.blockedBy.nodeId}>
              <button type="button" className="link-button" onClick={() => editor.focusOn([outcome.result?.blockedBy?.nodeId as string])}>
                {label(outcome.result.blockedBy.nodeId)}
              </button>
              : {outcome.result.blockedBy.reason}
              <div className="blocked-by" data-testid="trace-blocked-by" data-code={outcome.result.blockedBy.code}>
                {blockedByText(outcome.result.blockedBy)}
              </div>
            </div>
          ) : null}
          <ol className="hops" data-testid="trace-hops">
            {outcome.result.hops.map((hop, i) => (
              <li key={i} className={`hop hop-${hop.kind}`} data-testid="trace-hop" data-node={hop.nodeId ?? ''}>
                <span className="hop-kind">{hop.kind.replace('-', ' ')}</span>
                <span className="hop-text">
                  {hop.description}
                  {hop.address ? <code> {hop.address}</code> : null}
                  {hop.filter ? (
                    <span className="hop-rule" data-testid="trace-hop-rule">
                      {hop.kind === 'network-acl' ? `rule ${hop.filter.rule}` : `${hop.nodeId ?? ''} ${hop.filter.direction}[${hop.filter.rule}]`} · {hop.filter.direction} {hop.filter.leg}
                    </span>
                  ) : null}
                </span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </section>
  );
}
