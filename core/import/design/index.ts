import type { Topology } from '../../model/types.js';
import type { Ignored, Inventory } from '../inventory.js';
import { buildAutoscalingGroups, buildBalancers, buildInstances } from './compute.js';
import { DesignBuilder, type PortNote } from './context.js';
import { buildNetworkAcls, buildSecurityGroups } from './filters.js';
import { autoLayout } from './layout.js';
import { buildNetwork, buildRouteTables } from './network.js';

export type { PortNote } from './context.js';

/** A design built from an inventory, what it left out, and where each imported node listens and why. */
export interface BuiltDesign {
  topology: Topology;
  ignored: Ignored[];
  ports: PortNote[];
}

/**
 * Turns an inventory into a `topolab/1` design, laid out. The order matters: filters before
 * the nodes they filter (a port may come from a group's rules), route tables last (routes
 * name gateways, peerings and instances).
 */
export function buildDesign(inventory: Inventory, name: string): BuiltDesign {
  const b = new DesignBuilder(inventory);
  buildNetwork(b);
  buildSecurityGroups(b);
  buildNetworkAcls(b);
  buildAutoscalingGroups(b);
  buildInstances(b);
  buildBalancers(b);
  buildRouteTables(b);
  return { topology: b.result(name, autoLayout(b.nodes)), ignored: b.ignored, ports: b.ports };
}
