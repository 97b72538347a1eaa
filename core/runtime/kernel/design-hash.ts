import { createHash } from 'node:crypto';
import type { Topology } from '../../model/types.js';

/** Identifies a design by its network and services (not its layout), so `topolab exec FILE` finds the lab running FILE. */
export function designHash(topology: Topology): string {
  return createHash('sha256').update(JSON.stringify({ nodes: topology.nodes, edges: topology.edges })).digest('hex').slice(0, 16);
}
