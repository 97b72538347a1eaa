import type { TopologyIndex } from '../model/queries.js';
import type { LoadBalancerNode, SubnetNode } from '../model/types.js';
import type { RouteTables } from './tables.js';

/**
 * The subnets an application load balancer is placed in when it runs on AWS: its own
 * subnet and its tier siblings (the subnets of its VPC using the same route table), in file
 * order. AWS refuses an application load balancer whose subnets are in fewer than two zones;
 * the Terraform export and `topolab validate` both decide that from this one list.
 */
export function balancerSubnets(index: TopologyIndex, routes: RouteTables, lb: LoadBalancerNode): SubnetNode[] {
  const own = index.subnetOf(lb.id);
  if (!own) return [];
  const table = routes.forSubnet(own.id)?.table;
  const vpc = index.vpcOf(own.id);
  return index.ofKind('subnet').filter((s) => s.id === own.id || (table !== undefined && index.vpcOf(s.id)?.id === vpc?.id && routes.forSubnet(s.id)?.table === table));
}

/**
 * Why subnets in these zones cannot hold an application load balancer, or `undefined`. A
 * subnet without a zone may still be placed in any zone, so only named zones can clash.
 */
export function singleZoneProblem(zones: readonly (string | undefined)[]): string | undefined {
  if (zones.length < 2) return 'has a single subnet (no other subnet uses its route table)';
  const named = zones.filter((z) => z !== undefined);
  if (named.length === zones.length && new Set(named).size < 2) return `has all its subnets in zone "${named[0] ?? ''}"`;
  return undefined;
}
