import type { AutoscalingGroupNode, Topology } from '../../core/model/index.js';
import { CheckboxField, NumberField, Section, SelectField, TextField } from '../panels/fields.js';
import { LatencyField } from '../panels/inspector/LatencyField.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, Patch, RendererKind } from './types.js';
import { SecurityGroupsSection } from '../panels/inspector/SecurityGroupsSection.js';

type Template = NonNullable<AutoscalingGroupNode['template']>;

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

function ScalingPolicy({ node, patch }: { node: AutoscalingGroupNode; patch: Patch<AutoscalingGroupNode> }) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const tt = node.targetTracking;
  return (
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
  );
}

function AutoscalingGroupInspector({ doc, node, patch }: InspectorProps<'autoscaling-group'>) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const template = node.template ?? {};
  const setTemplate = <F extends keyof Template>(field: F, value: Template[F] | undefined) => {
    const next: Template = { ...template, [field]: value };
    if (value === undefined) delete next[field];
    patch('template', Object.keys(next).length > 0 ? next : undefined);
  };
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
      <ScalingPolicy node={node} patch={patch} />
      <Section title="Spread over">
        <SubnetChips doc={doc} ids={node.subnets ?? []} exclude={node.parent} onChange={(ids) => patch('subnets', ids.length > 0 ? ids : undefined)} />
      </Section>
      <SecurityGroupsSection doc={doc} node={node} />
    </>
  );
}

export const autoscalingGroupKind: RendererKind<'autoscaling-group'> = {
  icon: (
    <>
      <rect x="3.5" y="7.5" width="9" height="9" rx="1.5" />
      <rect x="11.5" y="3.5" width="9" height="9" rx="1.5" strokeDasharray="2 1.6" />
      <path d="M16 15.5v5M13.5 18h5" />
    </>
  ),
  color: '#16a34a',
  darkColor: '#4ade80',
  palette: { group: 'Compute', rank: 2, hint: 'A group of identical servers in a subnet' },
  subtitle: (node) => `${node.min}–${node.max} instances`,
  emptyHint: 'Drop servers here',
  frameDash: '6 4',
  Inspector: AutoscalingGroupInspector,
};
