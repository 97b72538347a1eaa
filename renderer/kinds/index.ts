import type { NodeKind } from '../../core/model/index.js';
import { autoscalingGroupKind } from './autoscaling-group.js';
import { cacheKind } from './cache.js';
import { clientKind } from './client.js';
import { forwardProxyKind } from './forward-proxy.js';
import { internetGatewayKind } from './internet-gateway.js';
import { loadBalancerKind } from './load-balancer.js';
import { natGatewayKind } from './nat-gateway.js';
import { networkAclKind } from './network-acl.js';
import { peeringKind } from './peering.js';
import { reverseProxyKind } from './reverse-proxy.js';
import { routeTableKind } from './route-table.js';
import { securityGroupKind } from './security-group.js';
import { serverKind } from './server.js';
import { subnetKind } from './subnet.js';
import type { RendererKind } from './types.js';
import { vpcKind } from './vpc.js';

export { PALETTE_GROUPS, type InspectorProps, type Patch, type RendererKind } from './types.js';

/**
 * What the renderer draws for each kind: icon, colour, palette entry, canvas subtitle and
 * inspector section. Typed over every kind, so the compiler names a kind the renderer does
 * not draw yet.
 */
export const RENDERER_KINDS: { readonly [K in NodeKind]: RendererKind<K> } = {
  vpc: vpcKind,
  subnet: subnetKind,
  'route-table': routeTableKind,
  'security-group': securityGroupKind,
  'network-acl': networkAclKind,
  'internet-gateway': internetGatewayKind,
  'nat-gateway': natGatewayKind,
  peering: peeringKind,
  server: serverKind,
  'load-balancer': loadBalancerKind,
  'reverse-proxy': reverseProxyKind,
  'forward-proxy': forwardProxyKind,
  cache: cacheKind,
  client: clientKind,
  'autoscaling-group': autoscalingGroupKind,
};

/** The renderer entry of a node's kind, for code that holds a node of any kind. */
export function rendererKindOf(kind: NodeKind): RendererKind<NodeKind> {
  return RENDERER_KINDS[kind] as unknown as RendererKind<NodeKind>;
}
