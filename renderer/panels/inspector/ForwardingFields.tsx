import type { LoadBalancerNode, ReverseProxyNode } from '../../../core/model/index.js';
import type { Patch } from '../../kinds/types.js';
import { useServices } from '../../lib/context.js';
import { CheckboxField, NumberField } from '../fields.js';

type Forwarder = LoadBalancerNode | ReverseProxyNode;

/** Internet-facing switch and the upstream limits a balancer and a reverse proxy share. */
export function ForwardingFields<N extends Forwarder>({ node, patch: patchKind }: { node: N; patch: Patch<N> }) {
  const { editor } = useServices();
  // These fields belong to both kinds.
  const patch = patchKind as unknown as Patch<Forwarder>;
  const seal = () => editor.seal();
  return (
    <>
      <CheckboxField label="Internet-facing" testId="internetFacing" checked={node.internetFacing === true} onChange={(v) => patch('internetFacing', v || undefined)} />
      <NumberField label="Max body (bytes)" testId="maxBodyBytes" value={node.maxBodyBytes} min={0} integer onChange={(v) => patch('maxBodyBytes', v)} onBlur={seal} />
      <NumberField label="Upstream timeout (ms)" testId="timeoutMs" value={node.timeoutMs} min={1} max={3_600_000} integer onChange={(v) => patch('timeoutMs', v)} onBlur={seal} />
    </>
  );
}
