import { useMemo, type ReactNode } from 'react';
import { safeParseCidr } from '../../core/cidr/index.js';
import {
  edgeTargetKinds,
  KIND_LABELS,
  TopologyIndex,
  type AutoscalingGroupNode,
  type Latency,
  type LoadBalancerNode,
  type Provider,
  type ReverseProxyNode,
  type Topology,
  type TopologyNode,
} from '../../core/model/index.js';
import type { Diagnostic } from '../../core/validate/index.js';
import { connect, disconnect } from '../actions/connect.js';
import { reparentNode, updateDocument, updateNode } from '../actions/edit.js';
import { checkParent } from '../actions/parents.js';
import { setMainTable } from '../actions/routes.js';
import { KindIcon } from '../canvas/icons.js';
import { useServices } from '../lib/context.js';
import { useCommandRunner } from '../lib/useCommands.js';
import { useStore } from '../store/useStore.js';
import { CidrField, ipProblem } from './CidrField.js';
import { CheckboxField, KeyValueField, LinesField, NumberField, Section, SelectField, TextField } from './fields.js';
import { RouteTableEditor } from './RouteTableEditor.js';

type Patch = (field: string, value: unknown) => void;

const PROVIDERS: { value: Provider; label: string }[] = [
  { value: 'aws', label: 'AWS' },
  { value: 'azure', label: 'Azure' },
  { value: 'gcp', label: 'Google Cloud' },
  { value: 'generic', label: 'Generic (no reservations)' },
];

/** The inspector: the selected node's every property, or the design's when nothing is selected. */
export function Inspector() {
  const { editor, diagnostics } = useServices();
  const doc = useStore(editor.store, (s) => s.history.present.doc);
  const selection = useStore(editor.store, (s) => s.selection);
  const all = useStore(diagnostics.store, (s) => s.diagnostics);
  const node = selection.length === 1 ? doc.nodes.find((n) => n.id === selection[0]) : undefined;
  const nodeDiagnostics = useMemo(() => (node ? all.filter((d) => d.nodeIds.includes(node.id)) : []), [all, node]);
  if (selection.length > 1) return <MultiInspector count={selection.length} />;
  if (!node) return <DocumentInspector doc={doc} />;
  const patch: Patch = (field, value) =>
    editor.apply(`Edit ${node.id} ${field}`, (d) => updateNode(d, { id: node.id, patch: { [field]: value } }), { coalesce: `${node.id}.${field}` });
  return (
    <div className="inspector" data-testid="inspector" data-node={node.id}>
      <header className="inspector-title">
        <span className={`kind-chip kind-${node.kind}`}>
          <KindIcon kind={node.kind} size={18} />
        </span>
        <div>
          <div className="inspector-kind">{KIND_LABELS[node.kind]}</div>
          <div className="inspector-id" data-testid="inspector-id">
            {node.id}
          </div>
        </div>
      </header>
      <Section title="General">
        <TextField label="Name" testId="name" value={node.name ?? ''} placeholder={node.id} onChange={(v) => patch('name', v === '' ? undefined : v)} onBlur={() => editor.seal()} />
        <TextField label="Description" testId="description" multiline value={node.description ?? ''} onChange={(v) => patch('description', v === '' ? undefined : v)} onBlur={() => editor.seal()} />
        <KeyValueField label="Tags" testId="tags" value={node.tags} onChange={(v) => patch('tags', v)} onBlur={() => editor.seal()} hint="One per line: key: value (exported as tags/labels)." />
        <ParentField doc={doc} nodeId={node.id} />
      </Section>
      <KindFields doc={doc} node={node} patch={patch} diagnostics={nodeDiagnostics} />
      {nodeDiagnostics.length > 0 ? (
        <Section title="Problems" testId="inspector-problems">
          <ul className="inspector-problems">
            {nodeDiagnostics.map((d, i) => (
              <li key={i} className={`sev-${d.severity}`} data-code={d.code}>
                <span className={`sev-dot sev-${d.severity}`} /> {d.message}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}

function MultiInspector({ count }: { count: number }) {
  const run = useCommandRunner();
  return (
    <div className="inspector" data-testid="inspector-multi">
      <header className="inspector-title">
        <div>
          <div className="inspector-kind">{count} nodes selected</div>
        </div>
      </header>
      <Section title="Align">
        <div className="button-grid">
          {(['left', 'center', 'right', 'top', 'middle', 'bottom', 'distribute-h', 'distribute-v'] as const).map((a) => (
            <button key={a} type="button" className="button small" data-testid={`align-${a}`} onClick={() => run(`arrange.align-${a}`)}>
              {a.replace('distribute-h', 'spread ↔').replace('distribute-v', 'spread ↕')}
            </button>
          ))}
        </div>
      </Section>
      <Section title="Edit">
        <div className="button-row">
          <button type="button" className="button small" onClick={() => run('edit.duplicate')}>
            Duplicate
          </button>
          <button type="button" className="button small danger" onClick={() => run('edit.delete')}>
            Delete
          </button>
        </div>
      </Section>
    </div>
  );
}

function DocumentInspector({ doc }: { doc: Topology }) {
  const { editor } = useServices();
  const counts = useMemo(() => {
    const out = new Map<string, number>();
    for (const n of doc.nodes) out.set(n.kind, (out.get(n.kind) ?? 0) + 1);
    return [...out.entries()];
  }, [doc.nodes]);
  const edit = (patch: Partial<Pick<Topology, 'name' | 'description' | 'provider'>>, field: string) =>
    editor.apply(`Edit design ${field}`, (d) => updateDocument(d, patch), { coalesce: `doc.${field}` });
  return (
    <div className="inspector" data-testid="inspector-document">
      <header className="inspector-title">
        <div>
          <div className="inspector-kind">Design</div>
          <div className="inspector-id">Select a node to edit it</div>
        </div>
      </header>
      <Section title="General">
        <TextField label="Name" testId="doc-name" value={doc.name} onChange={(v) => edit({ name: v }, 'name')} onBlur={() => editor.seal()} />
        <TextField label="Description" testId="doc-description" multiline value={doc.description ?? ''} onChange={(v) => edit({ description: v === '' ? undefined : v }, 'description')} onBlur={() => editor.seal()} />
        <SelectField label="Cloud rules" testId="doc-provider" value={doc.provider} options={PROVIDERS} onChange={(provider) => edit({ provider }, 'provider')} hint="Allowed sizes and reserved addresses follow the provider." />
      </Section>
      <Section title="Contents">
        {counts.length === 0 ? (
          <p className="muted">Empty: drag a VPC from the palette to begin.</p>
        ) : (
          <ul className="count-list">
            {counts.map(([kind, n]) => (
              <li key={kind}>
                <KindIcon kind={kind as TopologyNode['kind']} size={16} /> {KIND_LABELS[kind as TopologyNode['kind']]} <span className="muted">× {n}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

/** Where the node sits: a picker of the containers its kind may live in (the keyboard's way to move it). */
function ParentField({ doc, nodeId }: { doc: Topology; nodeId: string }) {
  const { editor } = useServices();
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const options = doc.nodes.filter((c) => c.id !== node.id && checkParent(node.kind, c.kind).ok);
  const topLevel = checkParent(node.kind, null).ok;
  if (options.length === 0 && !topLevel) return null;
  return (
    <div className="field" data-testid="field-parent">
      <label htmlFor="inspector-parent">Inside</label>
      <div className="field-row">
        <select
          id="inspector-parent"
          data-testid="input-parent"
          value={node.parent ?? ''}
          onChange={(e) => editor.apply(`Move ${node.id}`, (d) => reparentNode(d, { id: node.id, parent: e.target.value === '' ? null : e.target.value }))}
        >
          {topLevel || node.parent === undefined ? <option value="">{topLevel ? 'the open canvas' : '—'}</option> : null}
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {KIND_LABELS[c.kind]} {c.name ?? c.id}
              {'cidr' in c ? ` (${c.cidr})` : ''}
            </option>
          ))}
        </select>
        {node.parent !== undefined ? (
          <button type="button" className="button small" data-testid="inspector-parent" onClick={() => editor.focusOn([node.parent as string])}>
            Show
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The first validator message about one field of a node (shown inline under it). */
function fieldProblem(diagnostics: readonly Diagnostic[], field: string): string | null {
  const hit = diagnostics.find((d) => d.path?.endsWith(`.${field}`) && d.code !== 'cidr-invalid' && d.code !== 'cidr-host-bits' && d.code !== 'ip-invalid');
  return hit?.message ?? null;
}

function KindFields({ doc, node, patch, diagnostics }: { doc: Topology; node: TopologyNode; patch: Patch; diagnostics: Diagnostic[] }) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const index = useMemo(() => new TopologyIndex(doc), [doc]);
  const provider = doc.provider;
  const addressFields = (defaultPort: number) => {
    const subnet = index.subnetOf(node.id);
    const current = node as { ip?: string; port?: number };
    return (
      <Section title="Address">
        <TextField
          label="IP address"
          testId="ip"
          value={current.ip ?? ''}
          placeholder="assigned automatically"
          onChange={(v) => patch('ip', v === '' ? undefined : v)}
          onBlur={seal}
          validate={(v) => ipProblem(v, subnet?.cidr, provider) ?? fieldProblem(diagnostics, 'ip')}
          hint={subnet ? `in ${subnet.name ?? subnet.id} (${subnet.cidr})` : node.kind === 'client' ? 'on the internet (outside every VPC): a public address' : 'not in a subnet'}
        />
        <NumberField label="Port" testId="port" value={current.port} placeholder={String(defaultPort || '')} min={1} max={65535} integer onChange={(v) => patch('port', v)} onBlur={seal} />
      </Section>
    );
  };
  switch (node.kind) {
    case 'vpc':
      return (
        <Section title="Network">
          <CidrField label="CIDR" testId="cidr" value={node.cidr} provider={provider} onChange={(v) => patch('cidr', v)} onBlur={seal} extraError={fieldProblem(diagnostics, 'cidr')} />
          <LinesField label="Secondary CIDRs" testId="secondaryCidrs" value={node.secondaryCidrs} onChange={(v) => patch('secondaryCidrs', v)} onBlur={seal} validateLine={(l) => { const p = safeParseCidr(l); return p.ok ? null : p.problem.message; }} hint="One per line (up to 5)." />
          <TextField label="Region" testId="region" value={node.region ?? ''} placeholder="us-east-1" onChange={(v) => patch('region', v === '' ? undefined : v)} onBlur={seal} />
        </Section>
      );
    case 'subnet': {
      const vpc = index.vpcOf(node.id);
      return (
        <Section title="Network">
          <CidrField label="CIDR" testId="cidr" value={node.cidr} provider={provider} onChange={(v) => patch('cidr', v)} onBlur={seal} extraError={fieldProblem(diagnostics, 'cidr')} />
          <TextField label="Zone" testId="zone" value={node.zone ?? ''} placeholder="us-east-1a" onChange={(v) => patch('zone', v === '' ? undefined : v)} onBlur={seal} hint={vpc ? `in VPC ${vpc.name ?? vpc.id} (${vpc.cidr})` : undefined} />
          <SubnetRouting doc={doc} subnetId={node.id} />
        </Section>
      );
    }
    case 'route-table':
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
    case 'internet-gateway':
      return (
        <Section title="Gateway">
          <p className="muted">Routes with this gateway as target reach the internet. Add a 0.0.0.0/0 route to it in a public subnet's route table.</p>
        </Section>
      );
    case 'nat-gateway':
      return addressFields(0);
    case 'peering':
      return (
        <Section title="Peering">
          <p>
            <code>{node.vpcs[0]}</code> ↔ <code>{node.vpcs[1]}</code>
          </p>
          <p className="muted">Each side needs a route to the other VPC's CIDR with this peering as target.</p>
        </Section>
      );
    case 'server':
      return (
        <>
          {addressFields(80)}
          <Section title="Behaviour">
            <LatencyField value={node.latencyMs} onChange={(v) => patch('latencyMs', v)} />
            <NumberField label="Error rate (0–1)" testId="errorRate" value={node.errorRate} min={0} max={1} onChange={(v) => patch('errorRate', v)} onBlur={seal} />
            <NumberField label="Weight" testId="weight" value={node.weight} min={0} max={256} integer onChange={(v) => patch('weight', v)} onBlur={seal} />
            <TextField label="Command" testId="command" value={node.command ?? ''} placeholder="built-in echo server" onChange={(v) => patch('command', v === '' ? undefined : v)} onBlur={seal} hint="Run instead of the built-in app, with PORT and HOST set." />
          </Section>
        </>
      );
    case 'load-balancer':
      return <LoadBalancerFields doc={doc} node={node} patch={patch} address={addressFields(80)} />;
    case 'reverse-proxy':
      return (
        <>
          {addressFields(80)}
          <Section title="Proxy">
            <CheckboxField label="Internet-facing" testId="internetFacing" checked={node.internetFacing === true} onChange={(v) => patch('internetFacing', v || undefined)} />
            <NumberField label="Max body (bytes)" testId="maxBodyBytes" value={node.maxBodyBytes} min={0} integer onChange={(v) => patch('maxBodyBytes', v)} onBlur={seal} />
            <NumberField label="Upstream timeout (ms)" testId="timeoutMs" value={node.timeoutMs} min={1} max={3_600_000} integer onChange={(v) => patch('timeoutMs', v)} onBlur={seal} />
          </Section>
          <Targets doc={doc} sourceId={node.id} title="Upstreams" />
          <ProxyRules doc={doc} node={node} patch={patch} />
        </>
      );
    case 'forward-proxy':
      return (
        <>
          {addressFields(3128)}
          <Section title="Access">
            <LinesField label="Allow" testId="allow" value={node.allow} onChange={(v) => patch('allow', v)} onBlur={seal} hint="Host names, *.domain wildcards or CIDRs, one per line." />
            <LinesField label="Deny (checked first)" testId="deny" value={node.deny} onChange={(v) => patch('deny', v)} onBlur={seal} />
          </Section>
          <Targets doc={doc} sourceId={node.id} title="Destinations" />
        </>
      );
    case 'cache':
      return (
        <>
          {addressFields(80)}
          <Section title="Cache">
            <NumberField label="Size (bytes)" testId="maxBytes" value={node.maxBytes} min={0} integer onChange={(v) => patch('maxBytes', v)} onBlur={seal} />
            <NumberField label="Default TTL (s)" testId="defaultTtl" value={node.defaultTtl} min={0} integer onChange={(v) => patch('defaultTtl', v)} onBlur={seal} />
            <CheckboxField label="Internet-facing" testId="internetFacing" checked={node.internetFacing === true} onChange={(v) => patch('internetFacing', v || undefined)} />
          </Section>
          <Targets doc={doc} sourceId={node.id} title="Upstreams" />
        </>
      );
    case 'client':
      return (
        <>
          {addressFields(0)}
          <Targets doc={doc} sourceId={node.id} title="Sends traffic to" />
        </>
      );
    case 'autoscaling-group':
      return (
        <>
          <AsgFields node={node} patch={patch} />
          <Section title="Spread over">
            <SubnetChips doc={doc} ids={node.subnets ?? []} exclude={node.parent} onChange={(ids) => patch('subnets', ids.length > 0 ? ids : undefined)} />
          </Section>
        </>
      );
  }
}

/** Further subnets of an auto-scaling group, as removable chips with a picker. */
function SubnetChips({ doc, ids, exclude, onChange }: { doc: Topology; ids: string[]; exclude: string | undefined; onChange: (ids: string[]) => void }) {
  const candidates = doc.nodes.filter((n) => n.kind === 'subnet' && n.id !== exclude && !ids.includes(n.id));
  return (
    <div className="field" data-testid="asg-subnets">
      <ul className="chip-list">
        {ids.length === 0 ? <li className="muted">only its own subnet</li> : null}
        {ids.map((id) => (
          <li key={id} className="chip">
            {id}
            <button type="button" aria-label={`Remove ${id}`} onClick={() => onChange(ids.filter((x) => x !== id))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {candidates.length > 0 ? (
        <select value="" data-testid="asg-add-subnet" onChange={(e) => e.target.value && onChange([...ids, e.target.value])}>
          <option value="">+ Spread over another subnet…</option>
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

function SubnetRouting({ doc, subnetId }: { doc: Topology; subnetId: string }) {
  const { editor } = useServices();
  const tables = doc.nodes.filter((n) => n.kind === 'route-table' && n.subnets.includes(subnetId));
  return (
    <div className="field">
      <label>Route table</label>
      {tables.length === 0 ? (
        <span className="muted">none (uses the VPC's main table) — connect a route table to this subnet</span>
      ) : (
        tables.map((t) => (
          <button key={t.id} type="button" className="link-button" onClick={() => editor.focusOn([t.id])}>
            {t.name ?? t.id}
          </button>
        ))
      )}
    </div>
  );
}

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

/** A node's outgoing traffic edges, removable, with a picker to add one. */
function Targets({ doc, sourceId, title }: { doc: Topology; sourceId: string; title: string }) {
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

const ALGORITHMS: { value: LoadBalancerNode['algorithm']; label: string }[] = [
  { value: 'round-robin', label: 'Round robin' },
  { value: 'weighted-round-robin', label: 'Weighted round robin' },
  { value: 'least-connections', label: 'Least connections' },
  { value: 'source-hash', label: 'Source hash (sticky by client IP)' },
  { value: 'random-two', label: 'Power of two random choices' },
];

function LoadBalancerFields({ doc, node, patch, address }: { doc: Topology; node: LoadBalancerNode; patch: Patch; address: ReactNode }) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const hc = node.healthCheck ?? {};
  const setHc = (field: string, value: unknown) => {
    const next: Record<string, unknown> = { ...hc, [field]: value };
    if (value === undefined) delete next[field];
    patch('healthCheck', Object.keys(next).length > 0 ? next : undefined);
  };
  const sticky = node.sticky;
  return (
    <>
      {address}
      <Section title="Balancing">
        <SelectField label="Layer" testId="layer" value={node.layer} options={[{ value: 7, label: 'Layer 7 (HTTP)' }, { value: 4, label: 'Layer 4 (TCP)' }]} onChange={(v) => patch('layer', v)} />
        <SelectField label="Algorithm" testId="algorithm" value={node.algorithm} options={ALGORITHMS} onChange={(v) => patch('algorithm', v)} />
        <CheckboxField label="Internet-facing" testId="internetFacing" checked={node.internetFacing === true} onChange={(v) => patch('internetFacing', v || undefined)} />
        <NumberField label="Max body (bytes)" testId="maxBodyBytes" value={node.maxBodyBytes} min={0} integer onChange={(v) => patch('maxBodyBytes', v)} onBlur={seal} />
        <NumberField label="Upstream timeout (ms)" testId="timeoutMs" value={node.timeoutMs} min={1} max={3_600_000} integer onChange={(v) => patch('timeoutMs', v)} onBlur={seal} />
      </Section>
      <Section title="Health check">
        <SelectField label="Type" testId="hc-type" value={hc.type} options={[{ value: 'http', label: 'HTTP' }, { value: 'tcp', label: 'TCP connect' }]} onChange={(v) => setHc('type', v)} />
        <TextField label="Path" testId="hc-path" value={hc.path ?? ''} placeholder="/health" onChange={(v) => setHc('path', v === '' ? undefined : v)} onBlur={seal} validate={(v) => (v === '' || v.startsWith('/') ? null : 'a path starts with /')} />
        <div className="field-row">
          <NumberField label="Interval (ms)" testId="hc-interval" value={hc.intervalMs} min={50} max={600_000} integer onChange={(v) => setHc('intervalMs', v)} onBlur={seal} />
          <NumberField label="Timeout (ms)" testId="hc-timeout" value={hc.timeoutMs} min={10} max={600_000} integer onChange={(v) => setHc('timeoutMs', v)} onBlur={seal} />
        </div>
        <div className="field-row">
          <NumberField label="Rise" testId="hc-rise" value={hc.rise} min={1} max={100} integer onChange={(v) => setHc('rise', v)} onBlur={seal} />
          <NumberField label="Fall" testId="hc-fall" value={hc.fall} min={1} max={100} integer onChange={(v) => setHc('fall', v)} onBlur={seal} />
        </div>
        <TextField label="Healthy status" testId="hc-expect" value={hc.expectStatus ?? ''} placeholder="200-399" onChange={(v) => /^\d{3}(-\d{3})?$/.test(v) ? setHc('expectStatus', v) : v === '' ? setHc('expectStatus', undefined) : undefined} onBlur={seal} validate={(v) => (v === '' || /^\d{3}(-\d{3})?$/.test(v) ? null : 'a status or range, e.g. 200-399')} />
      </Section>
      <Section title="Sticky sessions">
        <CheckboxField label="Sticky by cookie" testId="sticky" checked={sticky !== undefined} onChange={(on) => patch('sticky', on ? { cookie: 'SERVERID' } : undefined)} />
        {sticky ? (
          <div className="field-row">
            <TextField label="Cookie" testId="sticky-cookie" value={sticky.cookie ?? ''} onChange={(v) => /^[A-Za-z0-9_-]{1,64}$/.test(v) && patch('sticky', { ...sticky, cookie: v })} validate={(v) => (/^[A-Za-z0-9_-]{1,64}$/.test(v) ? null : 'letters, digits, _ and -')} onBlur={seal} />
            <NumberField label="TTL (s)" testId="sticky-ttl" value={sticky.ttlSeconds} min={1} max={31_536_000} integer onChange={(v) => patch('sticky', v === undefined ? { cookie: sticky.cookie } : { ...sticky, ttlSeconds: v })} onBlur={seal} />
          </div>
        ) : null}
      </Section>
      <Targets doc={doc} sourceId={node.id} title="Targets" />
    </>
  );
}

function ProxyRules({ doc, node, patch }: { doc: Topology; node: ReverseProxyNode; patch: Patch }) {
  const { editor } = useServices();
  const rules = node.rules ?? [];
  const ids = new Set(doc.nodes.map((n) => n.id));
  const setRule = (i: number, field: string, value: unknown) => {
    const next = rules.map((r, j) => {
      if (j !== i) return r;
      const copy: Record<string, unknown> = { ...r, [field]: value };
      if (value === undefined) delete copy[field];
      return copy as (typeof rules)[number];
    });
    patch('rules', next);
  };
  return (
    <Section title="Routing rules" testId="section-rules">
      {rules.length === 0 ? <p className="muted">No rules: every request goes to the upstreams above.</p> : null}
      {rules.map((rule, i) => (
        <div key={i} className="rule-card" data-testid={`rule-${i}`}>
          <div className="field-row">
            <TextField label="Host" testId={`rule-${i}-host`} value={rule.host ?? ''} placeholder="any" onChange={(v) => setRule(i, 'host', v === '' ? undefined : v)} onBlur={() => editor.seal()} />
            <TextField label="Path prefix" testId={`rule-${i}-path`} value={rule.pathPrefix ?? ''} placeholder="/" onChange={(v) => v === '' || v.startsWith('/') ? setRule(i, 'pathPrefix', v === '' ? undefined : v) : undefined} validate={(v) => (v === '' || v.startsWith('/') ? null : 'starts with /')} onBlur={() => editor.seal()} />
          </div>
          <TextField
            label="Upstreams (ids, comma-separated)"
            testId={`rule-${i}-upstreams`}
            value={rule.upstreams.join(', ')}
            validate={(v) => {
              const list = v.split(',').map((s) => s.trim()).filter(Boolean);
              if (list.length === 0) return 'at least one upstream';
              const unknown = list.find((s) => !ids.has(s));
              return unknown ? `"${unknown}" is not a node of this design` : null;
            }}
            onChange={(v) => {
              const list = v.split(',').map((s) => s.trim()).filter(Boolean);
              if (list.length > 0 && list.every((s) => ids.has(s))) setRule(i, 'upstreams', list);
            }}
            onBlur={() => editor.seal()}
          />
          <KeyValueField label="Request headers" testId={`rule-${i}-request-headers`} value={rule.requestHeaders} onChange={(v) => setRule(i, 'requestHeaders', v)} onBlur={() => editor.seal()} />
          <KeyValueField label="Response headers" testId={`rule-${i}-response-headers`} value={rule.responseHeaders} onChange={(v) => setRule(i, 'responseHeaders', v)} onBlur={() => editor.seal()} />
          <TextField label="Rewrite prefix" testId={`rule-${i}-rewrite`} value={rule.rewritePrefix ?? ''} placeholder="keep the path" onChange={(v) => v === '' || v.startsWith('/') ? setRule(i, 'rewritePrefix', v === '' ? undefined : v) : undefined} validate={(v) => (v === '' || v.startsWith('/') ? null : 'starts with /')} onBlur={() => editor.seal()} />
          <button type="button" className="button small danger" onClick={() => patch('rules', rules.length > 1 ? rules.filter((_, j) => j !== i) : undefined)}>
            Remove rule
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button small"
        data-testid="rule-add"
        onClick={() => {
          const first = doc.edges.find((e) => e.from === node.id)?.to ?? doc.nodes.find((n) => n.kind === 'server')?.id;
          if (!first) {
            editor.toast('error', 'Add a server or connect an upstream first: a rule needs an upstream');
            return;
          }
          patch('rules', [...rules, { pathPrefix: '/', upstreams: [first] }]);
        }}
      >
        + Add rule
      </button>
    </Section>
  );
}

function LatencyField({ value, onChange }: { value: Latency | undefined; onChange: (v: Latency | undefined) => void }) {
  const { editor } = useServices();
  const distribution = value === undefined ? 'none' : typeof value === 'number' ? 'fixed' : value.distribution;
  const ms = value === undefined ? undefined : typeof value === 'number' ? value : value.ms;
  const spread = typeof value === 'object' ? value.spreadMs : undefined;
  const set = (d: string, m: number | undefined, s: number | undefined) => {
    if (d === 'none' || m === undefined) return onChange(undefined);
    if (d === 'fixed') return onChange(m);
    onChange({ distribution: d as 'uniform' | 'normal' | 'exponential', ms: m, ...(s !== undefined && d !== 'exponential' ? { spreadMs: s } : {}) });
  };
  return (
    <>
      <SelectField
        label="Latency"
        testId="latency-distribution"
        value={distribution}
        options={[
          { value: 'none', label: 'None' },
          { value: 'fixed', label: 'Fixed' },
          { value: 'uniform', label: 'Uniform (min–max)' },
          { value: 'normal', label: 'Normal (mean ± sd)' },
          { value: 'exponential', label: 'Exponential (mean)' },
        ]}
        onChange={(d) => set(d, ms ?? 20, spread)}
      />
      {distribution !== 'none' ? (
        <div className="field-row">
          <NumberField label={distribution === 'uniform' ? 'Min (ms)' : distribution === 'fixed' ? 'Delay (ms)' : 'Mean (ms)'} testId="latency-ms" value={ms} min={0} max={600_000} onChange={(v) => set(distribution, v, spread)} onBlur={() => editor.seal()} />
          {distribution === 'uniform' || distribution === 'normal' ? (
            <NumberField label={distribution === 'uniform' ? 'Max (ms)' : 'SD (ms)'} testId="latency-spread" value={spread} min={0} max={600_000} onChange={(v) => set(distribution, ms, v)} onBlur={() => editor.seal()} />
          ) : null}
        </div>
      ) : null}
    </>
  );
}

function AsgFields({ node, patch }: { node: AutoscalingGroupNode; patch: Patch }) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const template = node.template ?? {};
  const setTemplate = (field: string, value: unknown) => {
    const next: Record<string, unknown> = { ...template, [field]: value };
    if (value === undefined) delete next[field];
    patch('template', Object.keys(next).length > 0 ? next : undefined);
  };
  const tt = node.targetTracking;
  return (
    <>
      <Section title="Capacity">
        <div className="field-row">
          <NumberField label="Min" testId="min" value={node.min} min={0} max={100} integer required onChange={(v) => v !== undefined && patch('min', v)} onBlur={seal} />
          <NumberField label="Desired" testId="desired" value={node.desired} min={0} max={100} integer onChange={(v) => patch('desired', v)} onBlur={seal} />
          <NumberField label="Max" testId="max" value={node.max} min={1} max={100} integer required onChange={(v) => v !== undefined && patch('max', v)} onBlur={seal} />
        </div>
      </Section>
      <Section title="Instance template">
        <NumberField label="Port" testId="template-port" value={template.port} min={1} max={65535} integer onChange={(v) => setTemplate('port', v)} onBlur={seal} />
        <NumberField label="Error rate (0–1)" testId="template-errorRate" value={template.errorRate} min={0} max={1} onChange={(v) => setTemplate('errorRate', v)} onBlur={seal} />
        <LatencyField value={template.latencyMs} onChange={(v) => setTemplate('latencyMs', v)} />
        <TextField label="Command" testId="template-command" value={template.command ?? ''} placeholder="built-in echo server" onChange={(v) => setTemplate('command', v === '' ? undefined : v)} onBlur={seal} />
      </Section>
      <Section title="Scaling policy">
        <CheckboxField label="Target tracking" testId="tt" checked={tt !== undefined} onChange={(on) => patch('targetTracking', on ? { metric: 'in-flight', target: 10 } : undefined)} />
        {tt ? (
          <>
            <SelectField label="Metric" testId="tt-metric" value={tt.metric} options={[{ value: 'in-flight', label: 'In-flight requests' }, { value: 'rps', label: 'Requests per second' }]} onChange={(v) => patch('targetTracking', { ...tt, metric: v })} />
            <div className="field-row">
              <NumberField label="Target per instance" testId="tt-target" value={tt.target} min={0.001} required onChange={(v) => v !== undefined && patch('targetTracking', { ...tt, target: v })} onBlur={seal} />
              <NumberField label="Cooldown (s)" testId="tt-cooldown" value={tt.cooldownSeconds} min={0} max={3600} onChange={(v) => patch('targetTracking', v === undefined ? { metric: tt.metric, target: tt.target } : { ...tt, cooldownSeconds: v })} onBlur={seal} />
            </div>
          </>
        ) : null}
      </Section>
    </>
  );
}
