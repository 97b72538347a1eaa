import { useState } from 'react';
import { formatCidr, safeParseCidr } from '../../core/cidr/index.js';
import { KIND_LABELS, KIND_TRAITS, TopologyIndex, type Route, type RouteTableNode, type Topology } from '../../core/model/index.js';
import { setRoutes } from '../actions/routes.js';
import { useEditor } from '../lib/context.js';

/** Targets a route of this table may use: local, blackhole, and the route targets (gateways, peerings, instances) of its VPC. */
export function routeTargets(doc: Topology, table: RouteTableNode): { value: string; label: string }[] {
  const index = new TopologyIndex(doc);
  const out = [
    { value: 'local', label: 'local' },
    { value: 'blackhole', label: 'blackhole (drop)' },
  ];
  for (const node of doc.nodes) {
    const inVpc = node.kind === 'peering' ? node.vpcs.includes(table.parent ?? '') : index.vpcOf(node.id)?.id === table.parent;
    if (KIND_TRAITS[node.kind].routeTarget === false || !inVpc) continue;
    out.push({ value: node.id, label: `${KIND_LABELS[node.kind]}: ${node.name ?? node.id}` });
  }
  return out;
}

/**
 * The route table editor: the VPC's implicit local route(s) first (read-only, as AWS
 * shows them), then the table's routes with a destination (checked as you type) and a
 * target picked from the design. Each change commits the whole list (one undo step per
 * field being typed in).
 */
export function RouteTableEditor({ doc, table }: { doc: Topology; table: RouteTableNode }) {
  const editor = useEditor();
  const [rows, setRows] = useState<Route[]>(table.routes);
  const [source, setSource] = useState(table.routes);
  if (source !== table.routes) {
    setSource(table.routes);
    setRows(table.routes);
  }
  const index = new TopologyIndex(doc);
  const vpc = index.nodeOfKind(table.parent, 'vpc');
  // The implicit local routes: the VPC's blocks, primary first (as routing's effective tables list them).
  const locals = (vpc ? [vpc.cidr, ...(vpc.secondaryCidrs ?? [])] : []).flatMap((text) => {
    const parsed = safeParseCidr(text);
    return parsed.ok ? [formatCidr(parsed.block)] : [];
  });
  const targets = routeTargets(doc, table);
  const commit = (next: Route[], field: string) => {
    setRows(next);
    editor.apply(`Edit routes of ${table.id}`, (d) => setRoutes(d, { tableId: table.id, routes: next }), { coalesce: `${table.id}.routes.${field}` });
  };
  return (
    <div className="route-editor" data-testid="route-editor">
      <table>
        <thead>
          <tr>
            <th>Destination</th>
            <th>Target</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {locals.map((cidr) => (
            <tr key={`local-${cidr}`} className="implicit" data-testid="route-implicit">
              <td>
                <code>{cidr}</code>
              </td>
              <td>
                local <span className="muted">(implicit)</span>
              </td>
              <td />
            </tr>
          ))}
          {rows.map((route, i) => {
            const parsed = route.destination === '' ? null : safeParseCidr(route.destination);
            const error = route.destination === '' ? 'required' : parsed && !parsed.ok ? parsed.problem.message : null;
            const known = targets.some((t) => t.value === route.target);
            return (
              <tr key={i} data-testid={`route-row-${i}`}>
                <td>
                  <input
                    value={route.destination}
                    data-testid={`route-destination-${i}`}
                    aria-invalid={error ? true : undefined}
                    placeholder="0.0.0.0/0"
                    spellCheck={false}
                    onChange={(e) => commit(rows.map((r, j) => (j === i ? { ...r, destination: e.target.value.trim() } : r)), `${i}.destination`)}
                    onBlur={() => editor.seal()}
                  />
                  {error ? (
                    <div className="field-error" data-testid={`route-error-${i}`}>
                      {error}
                    </div>
                  ) : null}
                </td>
                <td>
                  <select value={route.target} data-testid={`route-target-${i}`} onChange={(e) => commit(rows.map((r, j) => (j === i ? { ...r, target: e.target.value } : r)), `${i}.target`)}>
                    {known ? null : <option value={route.target}>{route.target} (not in this VPC)</option>}
                    {targets.map((t) => (
                      <option key={t.value} value={t.value}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" className="icon-button" aria-label={`Remove route ${route.destination}`} data-testid={`route-remove-${i}`} onClick={() => commit(rows.filter((_, j) => j !== i), `remove-${i}-${Date.now()}`)}>
                    ×
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className="button small"
        data-testid="route-add"
        onClick={() => {
          const igw = targets.find((t) => t.label.startsWith(KIND_LABELS['internet-gateway']));
          const hasDefault = rows.some((r) => r.destination === '0.0.0.0/0');
          commit([...rows, { destination: hasDefault ? '' : '0.0.0.0/0', target: igw?.value ?? 'blackhole' }], `add-${rows.length}-${Date.now()}`);
        }}
      >
        + Add route
      </button>
    </div>
  );
}
