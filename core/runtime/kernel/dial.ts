import type { Topology } from '../../model/types.js';
import { trace } from '../../routing/trace.js';
import type { NodeAddressing } from './plan/types.js';

/**
 * Which address one lab node uses to reach another: the designed (private) address, or
 * the public one when the design's path between them crosses the internet (a node of
 * another VPC reached through internet gateways, anything reached from an internet
 * client). This is the lab's name resolution, as a public DNS name resolves in AWS; the
 * kernel then decides whether the connection gets through. Auto-scaling instances
 * (`asg#2`) trace from their group and to their designed address.
 */
export class DialBook {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly topology: Topology,
    private readonly addressing: Readonly<Record<string, NodeAddressing>>,
  ) {}

  /** The address `fromId` dials to reach `toId` (undefined when `toId` has no address in the lab). */
  address(fromId: string, toId: string): string | undefined {
    const target = this.addressing[toId];
    if (!target) return undefined;
    if (target.public === undefined || target.public === target.private) return target.private;
    const key = `${fromId}\u0000${toId}`;
    let chosen = this.cache.get(key);
    if (chosen === undefined) {
      chosen = this.crossesInternet(fromId, toId, target.private) ? target.public : target.private;
      this.cache.set(key, chosen);
    }
    return chosen;
  }

  private crossesInternet(fromId: string, toId: string, privateIp: string): boolean {
    const from = fromId.includes('#') ? fromId.slice(0, fromId.indexOf('#')) : fromId;
    const to = toId.includes('#') ? privateIp : toId;
    try {
      return trace(this.topology, { from, to }).hops.some((hop) => hop.kind === 'internet');
    } catch {
      return false;
    }
  }
}
