import { edgeTargetKinds, KIND_LABELS, type Topology } from '../../../core/model/index.js';
import { connect, disconnect } from '../../actions/connect.js';
import { useServices } from '../../lib/context.js';
import { Section } from '../fields.js';

/** A node's outgoing traffic edges, removable, with a picker of what its kind may send to (its descriptor's rule). */
export function Targets({ doc, sourceId, title }: { doc: Topology; sourceId: string; title: string }) {
  const { editor } = useServices();
  const edges = doc.edges.filter((e) => e.from === sourceId);
  const source = doc.nodes.find((n) => n.id === sourceId);
  const allowed = source ? edgeTargetKinds(source.kind) : [];
  const candidates = doc.nodes.filter((n) => n.id !== sourceId && allowed.includes(n.kind) && !edges.some((e) => e.to === n.id));
  return (
    <Section title={title} testId="section-targets">
      <ul className="chip-list">
        {edges.length === 0 ? <li className="muted">none yet — drag from this node's handle to a target</li> : null}
        {edges.map((e) => (
          <li key={e.id} className="chip" data-testid={`target-${e.to}`}>
            {e.to}
            <button type="button" aria-label={`Disconnect ${e.to}`} onClick={() => editor.apply(`Disconnect ${e.to}`, (d) => disconnect(d, { edgeId: e.id }))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {candidates.length > 0 ? (
        <select data-testid="add-target" value="" onChange={(e) => e.target.value && editor.apply(`Connect ${sourceId} to ${e.target.value}`, (d) => connect(d, { source: sourceId, target: e.target.value }))}>
          <option value="">+ Add…</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name ?? c.id} ({KIND_LABELS[c.kind]})
            </option>
          ))}
        </select>
      ) : null}
    </Section>
  );
}
