import { isPublicSubnet, subnetFacts, type ValidationContext } from '../context.js';
import { KIND_TRAITS } from '../../model/kinds/index.js';
import type { SubnetNode } from '../../model/types.js';
import { kindWord, nameOf, type ValidationRule } from './rule.js';

/**
 * Why a subnet is not public, in words: which table it uses and what that table lacks.
 * `gatewayVpcs`: the parents of every internet gateway (`gatewayParents`).
 */
export function whyPrivate(context: ValidationContext, subnet: SubnetNode, gatewayVpcs: ReadonlySet<string>): string {
  const table = subnetFacts(context, subnet.id)?.table;
  const vpcId = subnet.parent;
  const hasIgw = vpcId !== undefined && gatewayVpcs.has(vpcId);
  if (!table) return `it has no route table${hasIgw ? '' : ' and its VPC has no internet gateway'}`;
  return `its route table ${nameOf(context, table.id)} has no 0.0.0.0/0 (or ::/0) route to an internet gateway of its VPC${hasIgw ? '' : ' (the VPC has no internet gateway)'}`;
}

/**
 * The ids the internet gateways sit in: a VPC has a gateway when its id is here. From the
 * gateways alone: the children of every node (100,000 subnets) are not needed for that.
 */
function gatewayParents(context: ValidationContext): Set<string> {
  const out = new Set<string>();
  for (const gateway of context.index.ofKind('internet-gateway')) if (gateway.parent !== undefined) out.add(gateway.parent);
  return out;
}

/**
 * nat-in-private-subnet (error): a NAT gateway only reaches the internet from a public
 * subnet (effective table has a default route to the VPC's internet gateway).
 * public-lb-in-private-subnet (error): an internet-facing load balancer, reverse proxy or
 * cache in a subnet the internet cannot reach.
 */
export const gatewayPlacementRule: ValidationRule = {
  name: 'gateway-placement',
  codes: ['nat-in-private-subnet', 'public-lb-in-private-subnet'],
  check(context, report) {
    const { index } = context;
    let gatewayVpcs: Set<string> | undefined;
    const addressable = context.addressable;
    for (let k = 0; k < addressable.length; k++) {
      const node = addressable[k]!;
      // Kinds the internet reaches only when marked internet-facing (balancers, reverse proxies, caches).
      const marked = KIND_TRAITS[node.kind].internet === 'when-facing' && (node as { internetFacing?: boolean }).internetFacing === true;
      const facing = node.kind === 'nat-gateway' || marked;
      if (!facing) continue;
      const subnet = index.nodeOfKind(node.parent, 'subnet');
      if (!subnet || isPublicSubnet(context, subnet)) continue;
      const isNat = node.kind === 'nat-gateway';
      gatewayVpcs ??= gatewayParents(context);
      report({
        code: isNat ? 'nat-in-private-subnet' : 'public-lb-in-private-subnet',
        severity: 'error',
        message: isNat
          ? `NAT gateway ${nameOf(context, node.id)} is in private subnet ${nameOf(context, subnet.id)}: ${whyPrivate(context, subnet, gatewayVpcs)}, so the NAT gateway cannot reach the internet; put it in a public subnet`
          : `Internet-facing ${kindWord(node.kind)} ${nameOf(context, node.id)} is in private subnet ${nameOf(context, subnet.id)}: ${whyPrivate(context, subnet, gatewayVpcs)}, so clients on the internet cannot reach it; put it in a public subnet or set "internetFacing": false`,
        nodeIds: [node.id, subnet.id],
        path: index.pathOf(node.id, 'parent'),
      });
    }
  },
};
