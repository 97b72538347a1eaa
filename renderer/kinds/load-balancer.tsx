import type { HealthCheck, LoadBalancerNode } from '../../core/model/index.js';
import { CheckboxField, NumberField, Section, SelectField, TextField } from '../panels/fields.js';
import { AddressSection } from '../panels/inspector/AddressSection.js';
import { ForwardingFields } from '../panels/inspector/ForwardingFields.js';
import { Targets } from '../panels/inspector/Targets.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, Patch, RendererKind } from './types.js';
import { SecurityGroupsSection } from '../panels/inspector/SecurityGroupsSection.js';

const ALGORITHMS: { value: LoadBalancerNode['algorithm']; label: string }[] = [
  { value: 'round-robin', label: 'Round robin' },
  { value: 'weighted-round-robin', label: 'Weighted round robin' },
  { value: 'least-connections', label: 'Least connections' },
  { value: 'source-hash', label: 'Source hash (sticky by client IP)' },
  { value: 'random-two', label: 'Power of two random choices' },
];

const STATUS_RANGE = /^\d{3}(-\d{3})?$/;
const COOKIE = /^[A-Za-z0-9_-]{1,64}$/;

function HealthCheckSection({ node, patch }: { node: LoadBalancerNode; patch: Patch<LoadBalancerNode> }) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const hc = node.healthCheck ?? {};
  const setHc = <F extends keyof HealthCheck>(field: F, value: HealthCheck[F] | undefined) => {
    const next: HealthCheck = { ...hc, [field]: value };
    if (value === undefined) delete next[field];
    patch('healthCheck', Object.keys(next).length > 0 ? next : undefined);
  };
  return (
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
      <TextField label="Healthy status" testId="hc-expect" value={hc.expectStatus ?? ''} placeholder="200-399" onChange={(v) => (STATUS_RANGE.test(v) ? setHc('expectStatus', v) : v === '' ? setHc('expectStatus', undefined) : undefined)} onBlur={seal} validate={(v) => (v === '' || STATUS_RANGE.test(v) ? null : 'a status or range, e.g. 200-399')} />
    </Section>
  );
}

function StickySection({ node, patch }: { node: LoadBalancerNode; patch: Patch<LoadBalancerNode> }) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const sticky = node.sticky;
  return (
    <Section title="Sticky sessions">
      <CheckboxField label="Sticky by cookie" testId="sticky" checked={sticky !== undefined} onChange={(on) => patch('sticky', on ? { cookie: 'SERVERID' } : undefined)} />
      {sticky ? (
        <div className="field-row">
          <TextField label="Cookie" testId="sticky-cookie" value={sticky.cookie ?? ''} onChange={(v) => COOKIE.test(v) && patch('sticky', { ...sticky, cookie: v })} validate={(v) => (COOKIE.test(v) ? null : 'letters, digits, _ and -')} onBlur={seal} />
          <NumberField label="TTL (s)" testId="sticky-ttl" value={sticky.ttlSeconds} min={1} max={31_536_000} integer onChange={(v) => patch('sticky', v === undefined ? { cookie: sticky.cookie } : { ...sticky, ttlSeconds: v })} onBlur={seal} />
        </div>
      ) : null}
    </Section>
  );
}

function LoadBalancerInspector({ doc, node, patch, diagnostics }: InspectorProps<'load-balancer'>) {
  return (
    <>
      <AddressSection doc={doc} node={node} patch={patch} diagnostics={diagnostics} />
      <Section title="Balancing">
        <SelectField label="Layer" testId="layer" value={node.layer} options={[{ value: 7, label: 'Layer 7 (HTTP)' }, { value: 4, label: 'Layer 4 (TCP)' }]} onChange={(v) => patch('layer', v)} />
        <SelectField label="Algorithm" testId="algorithm" value={node.algorithm} options={ALGORITHMS} onChange={(v) => patch('algorithm', v)} />
        <ForwardingFields node={node} patch={patch} />
      </Section>
      <HealthCheckSection node={node} patch={patch} />
      <StickySection node={node} patch={patch} />
      <Targets doc={doc} sourceId={node.id} title="Targets" />
      <SecurityGroupsSection doc={doc} node={node} />
    </>
  );
}

export const loadBalancerKind: RendererKind<'load-balancer'> = {
  icon: (
    <>
      <circle cx="12" cy="5.5" r="2.5" />
      <circle cx="5" cy="18.5" r="2.5" />
      <circle cx="12" cy="18.5" r="2.5" />
      <circle cx="19" cy="18.5" r="2.5" />
      <path d="M12 8v8M10.5 7.5 6 16.2M13.5 7.5l4.5 8.7" />
    </>
  ),
  color: '#ea580c',
  darkColor: '#fb923c',
  palette: { group: 'Traffic', rank: 1, hint: 'Drop into a subnet; connect it to its targets' },
  Inspector: LoadBalancerInspector,
};
