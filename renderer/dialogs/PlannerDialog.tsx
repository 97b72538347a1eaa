import { useEffect, useMemo, useState } from 'react';
import { formatCidr, planSubnets, safeParseCidr, type SubnetRequest } from '../../core/cidr/index.js';
import { TopologyIndex } from '../../core/model/index.js';
import { applySubnetPlan } from '../actions/plan.js';
import { useServices } from '../lib/context.js';
import { useStore } from '../store/useStore.js';
import { Dialog } from './Dialog.js';

interface Row {
  name: string;
  mode: 'prefix' | 'hosts';
  value: string;
  zone: string;
}

const DEFAULT_ROWS: Row[] = [
  { name: 'public-a', mode: 'prefix', value: '24', zone: '' },
  { name: 'public-b', mode: 'prefix', value: '24', zone: '' },
  { name: 'private-a', mode: 'hosts', value: '500', zone: '' },
  { name: 'private-b', mode: 'hosts', value: '500', zone: '' },
];

/** Position and width (in %) of a block inside the VPC, for the address-space bar. */
function span(vpcFirst: bigint, vpcSize: bigint, cidr: string): { left: number; width: number } | null {
  const parsed = safeParseCidr(cidr);
  if (!parsed.ok) return null;
  const left = Number(((parsed.block.first - vpcFirst) * 10000n) / vpcSize) / 100;
  const width = Number(((parsed.block.last - parsed.block.first + 1n) * 10000n) / vpcSize) / 100;
  return { left, width: Math.max(width, 0.4) };
}

/**
 * The part of the VPC the bar shows: the smallest aligned block from the VPC's start that
 * holds every existing and planned subnet (a few /24s in a /16 would be slivers otherwise).
 */
function shownSpan(vpc: { version: 4 | 6; prefix: number; first: bigint; last: bigint } | null, cidrs: string[]): { size: bigint; label?: string } {
  if (!vpc) return { size: 1n };
  let end = vpc.first;
  for (const cidr of cidrs) {
    const parsed = safeParseCidr(cidr);
    if (parsed.ok && parsed.block.last > end) end = parsed.block.last;
  }
  const total = vpc.last - vpc.first + 1n;
  let size = 1n;
  while (size < end - vpc.first + 1n) size *= 2n;
  size = size * 2n > total ? total : size * 2n; // some headroom to show what is left
  if (size >= total) return { size: total };
  const bits = vpc.version === 4 ? 32 : 128;
  const prefix = bits - (size.toString(2).length - 1);
  return { size, label: `${formatCidr({ ...vpc, prefix, last: vpc.first + size - 1n })}` };
}

/**
 * The subnet planner: sizes (prefix or host count) and zones in, a deterministic
 * allocation out (largest first, aligned, existing subnets kept), previewed as a table
 * and on a bar of the VPC's address space, then applied as one undoable edit.
 */
export function PlannerDialog() {
  const { editor } = useServices();
  const doc = useStore(editor.store, (s) => s.history.present.doc);
  const selection = useStore(editor.store, (s) => s.selection);
  const vpcs = doc.nodes.filter((n) => n.kind === 'vpc');
  const index = useMemo(() => new TopologyIndex(doc), [doc]);
  const initialVpc = (selection[0] ? index.vpcOf(selection[0])?.id : undefined) ?? vpcs[0]?.id ?? '';
  const [vpcId, setVpcId] = useState(initialVpc);
  const [rows, setRows] = useState<Row[]>(DEFAULT_ROWS);
  const [zones, setZones] = useState('a, b');
  const vpc = index.nodeOfKind(vpcId, 'vpc');
  const existing = vpc ? index.children(vpc.id).flatMap((c) => (c.kind === 'subnet' ? [c.cidr] : [])) : [];
  const requests: (SubnetRequest | string)[] = rows.map((r, i) => {
    const n = Number(r.value);
    if (r.value.trim() === '' || !Number.isInteger(n) || n <= 0) return `row ${i + 1}: ${r.mode === 'prefix' ? 'a prefix length such as 24' : 'a number of hosts'}`;
    return { ...(r.mode === 'prefix' ? { prefix: n } : { hosts: n }), ...(r.zone.trim() ? { zone: r.zone.trim() } : {}) };
  });
  const inputError = requests.find((r): r is string => typeof r === 'string');
  const zoneList = zones.split(',').map((z) => z.trim()).filter(Boolean);
  const plan = vpc && !inputError && rows.length > 0 ? planSubnets({ vpcCidr: vpc.cidr, requests: requests as SubnetRequest[], existing, zones: zoneList, provider: doc.provider }) : null;
  const vpcBlock = vpc ? safeParseCidr(vpc.cidr) : null;
  const vpcFirst = vpcBlock?.ok ? vpcBlock.block.first : 0n;
  const shown = shownSpan(vpcBlock?.ok ? vpcBlock.block : null, [...existing, ...(plan?.ok ? plan.subnets.map((p) => p.cidr) : [])]);
  const vpcSize = shown.size;
  // Draw the proposal on the canvas (ghost subnets, the VPC grown to fit) while the dialog is open.
  const proposal = plan?.ok && vpc ? plan.subnets.map((s) => ({ cidr: s.cidr, ...(s.zone ? { zone: s.zone } : {}), ...(rows[s.request]?.name ? { name: rows[s.request]?.name as string } : {}) })) : null;
  const proposalKey = proposal && vpc ? `${vpc.id}|${JSON.stringify(proposal)}` : '';
  useEffect(() => {
    if (!proposal || !vpc) {
      editor.setPreview(null);
      return;
    }
    const { doc: shown, added } = applySubnetPlan(doc, { vpcId: vpc.id, subnets: proposal });
    editor.setPreview({ doc: shown, added });
    // `proposalKey` stands for `proposal` and `vpc` (new objects on every render).
  }, [proposalKey, doc, editor]);
  useEffect(() => () => editor.setPreview(null), [editor]);

  const apply = () => {
    if (!plan?.ok || !vpc) return;
    let added: string[] = [];
    const subnets = plan.subnets.map((s) => ({ cidr: s.cidr, ...(s.zone ? { zone: s.zone } : {}), ...(rows[s.request]?.name ? { name: rows[s.request]?.name as string } : {}) }));
    editor.apply(`Plan ${subnets.length} subnets in ${vpc.id}`, (d) => {
      const result = applySubnetPlan(d, { vpcId: vpc.id, subnets });
      added = result.added;
      return result.doc;
    });
    editor.openDialog(null);
    editor.focusOn([vpc.id, ...added]);
  };
  return (
    <Dialog
      title="Plan subnets"
      testId="planner-dialog"
      wide
      placement="bottom"
      footer={
        <>
          <button type="button" className="button" onClick={() => editor.openDialog(null)}>
            Cancel
          </button>
          <button type="button" className="button primary" data-testid="planner-apply" disabled={!plan?.ok} onClick={apply}>
            Add {plan?.ok ? plan.subnets.length : ''} subnets
          </button>
        </>
      }
    >
      {vpcs.length === 0 ? (
        <div className="empty-state" data-testid="planner-no-vpc">
          <strong>No VPC yet</strong>
          <span>Drag a VPC onto the canvas first; the planner carves its address space.</span>
        </div>
      ) : (
        <div className="planner">
          <div className="field-row">
            <div className="field">
              <label htmlFor="planner-vpc">VPC</label>
              <select id="planner-vpc" data-testid="planner-vpc" value={vpcId} onChange={(e) => setVpcId(e.target.value)}>
                {vpcs.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name ?? v.id} ({'cidr' in v ? v.cidr : ''})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="planner-zones">Zones (spread in turn)</label>
              <input id="planner-zones" data-testid="planner-zones" value={zones} onChange={(e) => setZones(e.target.value)} placeholder="a, b, c" />
            </div>
          </div>
          <table className="planner-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Size by</th>
                <th>Value</th>
                <th>Zone</th>
                <th>Allocated</th>
                <th>Usable</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => {
                const allocated = plan?.ok ? plan.subnets.find((s) => s.request === i) : undefined;
                const set = (patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
                return (
                  <tr key={i} data-testid={`planner-row-${i}`}>
                    <td>
                      <input value={row.name} data-testid={`planner-name-${i}`} onChange={(e) => set({ name: e.target.value })} />
                    </td>
                    <td>
                      <select value={row.mode} data-testid={`planner-mode-${i}`} onChange={(e) => set({ mode: e.target.value as Row['mode'] })}>
                        <option value="prefix">Prefix /n</option>
                        <option value="hosts">Hosts</option>
                      </select>
                    </td>
                    <td>
                      <input value={row.value} data-testid={`planner-value-${i}`} inputMode="numeric" onChange={(e) => set({ value: e.target.value })} />
                    </td>
                    <td>
                      <input value={row.zone} placeholder={zoneList.length ? zoneList[i % zoneList.length] : ''} data-testid={`planner-zone-${i}`} onChange={(e) => set({ zone: e.target.value })} />
                    </td>
                    <td data-testid={`planner-cidr-${i}`}>
                      <code>{allocated?.cidr ?? '—'}</code>
                    </td>
                    <td>{allocated ? Number(allocated.usableHosts).toLocaleString('en') : ''}</td>
                    <td>
                      <button type="button" className="icon-button" aria-label="Remove row" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                        ×
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" className="button small" data-testid="planner-add-row" onClick={() => setRows([...rows, { name: `subnet-${rows.length + 1}`, mode: 'prefix', value: '24', zone: '' }])}>
            + Add subnet
          </button>
          {inputError ? <p className="field-error">{inputError}</p> : null}
          {plan && !plan.ok ? (
            <div className="error-state small" data-testid="planner-error">
              <strong>{plan.error}</strong>
              {plan.free.length > 0 ? <span>Free space: {plan.free.slice(0, 8).join(', ')}{plan.free.length > 8 ? ', …' : ''}</span> : null}
            </div>
          ) : null}
          {vpc ? (
            <div className="address-bar-wrap">
              <div className="muted">
                Address space {shown.label ? `${shown.label} (the used part of ${vpc.cidr})` : `of ${vpc.cidr}`}
              </div>
              <div className="address-bar" data-testid="planner-preview">
                {existing.map((cidr) => {
                  const s = span(vpcFirst, vpcSize, cidr);
                  return s ? <span key={`e-${cidr}`} className="block existing" style={{ left: `${s.left}%`, width: `${s.width}%` }} title={`${cidr} (existing)`} /> : null;
                })}
                {plan?.ok
                  ? plan.subnets.map((p) => {
                      const s = span(vpcFirst, vpcSize, p.cidr);
                      return s ? (
                        <span key={`p-${p.cidr}`} className="block planned" style={{ left: `${s.left}%`, width: `${s.width}%` }} title={`${rows[p.request]?.name ?? ''} ${p.cidr}`}>
                          {s.width > 5 ? <span className="block-label">{rows[p.request]?.name || p.cidr}</span> : null}
                        </span>
                      ) : null;
                    })
                  : null}
              </div>
              <div className="legend">
                <span className="block existing" /> existing <span className="block planned" /> planned
              </div>
            </div>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
