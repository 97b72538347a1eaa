import type { z } from 'zod';
import type { NodeReference, ReferenceSlot } from './descriptor.js';
import type { SgInboundRuleSchema, SgOutboundRuleSchema } from './filter-schemas.js';
import { EACH } from './reference-path.js';
import { idListReference } from './references.js';

/**
 * The traffic filters' parts a descriptor needs without zod: the `securityGroups` and rule
 * references, the ephemeral port ranges. Their schema pieces are in filter-schemas.ts.
 */

/** Whether a security group peer is a CIDR (else it names a security group). */
export function isCidrPeer(peer: string): boolean {
  return peer.includes('/');
}

/** `securityGroups`: the groups a node (or a group's instances) is in. */
export function securityGroupsReference<N extends { securityGroups?: string[] | undefined }>(): NodeReference<N> {
  const list = idListReference<N>('securityGroups' as never, 'security group', (target) => target.kind === 'security-group', 'sg-reference-invalid');
  return {
    ...list,
    // An id that names nothing is explained by sg-reference-invalid, not refused by the schema.
    mustResolve: false,
    remap(node, map) {
      const next = list.remap(node, map);
      if (next === null || next === node || (next.securityGroups?.length ?? 0) > 0) return next;
      // No group left: the node falls back to its VPC's default group, as if it listed none.
      const { securityGroups: _gone, ...rest } = next;
      return rest as N;
    },
  };
}

/** The ephemeral ports a kind opens connections from: replies come back to one of them. */
export interface EphemeralRange {
  readonly from: number;
  readonly to: number;
}

/** Linux's default `ip_local_port_range`: servers and clients. */
export const LINUX_EPHEMERAL: EphemeralRange = { from: 32768, to: 60999 };
/** What AWS documents for balancers and NAT gateways (and proxies and caches, as fleets of them): 1024-65535. */
export const WIDE_EPHEMERAL: EphemeralRange = { from: 1024, to: 65535 };

/** The rules of one direction of a security group, whose peers sit in `peerField`. */
type SgRules = { source: string }[] | { destination: string }[];

/**
 * `inbound[].source` or `outbound[].destination` when it names a security group: a rule
 * whose group is gone goes too (as AWS refuses to keep a rule naming a deleted group).
 */
export function sgRuleReference<N extends { inbound: z.output<typeof SgInboundRuleSchema>[]; outbound: z.output<typeof SgOutboundRuleSchema>[] }>(
  field: 'inbound' | 'outbound',
): NodeReference<N> {
  const peerField = field === 'inbound' ? 'source' : 'destination';
  const peerOf = (rule: unknown): string => (rule as Record<string, string>)[peerField] as string;
  return {
    field,
    // Where group ids may sit; `slots` leaves out the CIDRs found there (they hold a `/`).
    at: [field, EACH, peerField],
    noun: field === 'inbound' ? 'source security group' : 'destination security group',
    accepts: (target) => target.kind === 'security-group',
    mustResolve: false,
    validatedBy: 'sg-reference-invalid',
    slots(node) {
      const out: ReferenceSlot[] = [];
      (node[field] as SgRules).forEach((rule, j) => {
        const peer = peerOf(rule);
        if (!isCidrPeer(peer)) out.push({ id: peer, path: [field, j, peerField] });
      });
      return out;
    },
    remap(node, map) {
      let changed = false;
      const rules: unknown[] = [];
      for (const rule of node[field] as SgRules) {
        const peer = peerOf(rule);
        const next = isCidrPeer(peer) ? peer : map(peer);
        if (next !== peer) changed = true;
        if (next !== undefined) rules.push(next === peer ? rule : { ...rule, [peerField]: next });
      }
      return changed ? { ...node, [field]: rules } : node;
    },
  };
}
