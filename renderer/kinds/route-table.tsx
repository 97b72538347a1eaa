import type { Topology } from '../../core/model/index.js';
import { connect, disconnect } from '../actions/connect.js';
import { setMainTable } from '../actions/routes.js';
import { CheckboxField, Section } from '../panels/fields.js';
import { RouteTableEditor } from '../panels/RouteTableEditor.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, RendererKind } from './types.js';

/** The subnets a table is associated with, removable, with a picker of its VPC's other subnets. */
function Associations({ doc, tableId }: { doc: Topology; tableId: string }) {
  const { editor } = useServices();
  const table = doc.nodes.find((n) => n.id === tableId);
  if (!table || table.kind !== 'route-table') return null;
  const candidates = doc.nodes.filter((n) => n.kind === 'subnet' && n.parent === table.parent && !table.subnets.includes(n.id));
  return (
    <div className="field" data-testid="associations">
      <label>Associated subnets</label>
      <ul className="chip-list">
        {table.subnets.map((s) => (
          <li key={s} className="chip">
            {s}
            <button type="button" aria-label={`Remove association with ${s}`} onClick={() => editor.apply(`Disassociate ${s}`, (d) => disconnect(d, { edgeId: `assoc|${tableId}|${s}` }))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {candidates.length > 0 ? (
        <select data-testid="associate-subnet" value="" onChange={(e) => e.target.value && editor.apply(`Associate ${e.target.value}`, (d) => connect(d, { source: tableId, target: e.target.value }))}>
          <option value="">+ Associate a subnet…</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name ?? c.id} ({'cidr' in c ? c.cidr : ''})
            </option>
          ))}
        </select>
      ) : null}
    </div>
  );
}

function RouteTableInspector({ doc, node }: InspectorProps<'route-table'>) {
  const { editor } = useServices();
  return (
    <>
      <Section title="Routes" testId="section-routes">
        <RouteTableEditor doc={doc} table={node} />
      </Section>
      <Section title="Associations">
        <CheckboxField label="Main table of its VPC" testId="main" checked={node.main === true} onChange={(main) => editor.apply(`Main table ${node.id}`, (d) => setMainTable(d, { tableId: node.id, main }))} hint="Subnets with no explicit association use the main table." />
        <Associations doc={doc} tableId={node.id} />
      </Section>
    </>
  );
}

export const routeTableKind: RendererKind<'route-table'> = {
  icon: (
    <>
      <rect x="3.5" y="4.5" width="17" height="15" rx="1.5" />
      <path d="M3.5 9.5h17M9 9.5v10M12 14.5h6M16 12.5l2 2-2 2" />
    </>
  ),
  color: '#7c3aed',
  darkColor: '#a78bfa',
  palette: { group: 'Network', rank: 3, hint: 'Drop into a VPC; connect it to subnets' },
  subtitle: (node) => `${node.routes.length} route${node.routes.length === 1 ? '' : 's'}${node.main ? ' · main' : ''}`,
  Inspector: RouteTableInspector,
};
