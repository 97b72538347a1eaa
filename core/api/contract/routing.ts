import { z } from 'zod';
import type { TraceResult } from '../../routing/trace.js';
import { TopologyInput } from './core.js';
import { defineMethod } from './define.js';

/** Routing methods: hop-by-hop reachability over the designed route tables. Pure, no I/O. */
export const routingMethods = {
  trace: defineMethod<TraceResult>()(
    z.strictObject({
      topology: TopologyInput,
      /** The node the traffic starts at. */
      from: z.string().min(1).max(128),
      /** A node id or an IPv4/IPv6 address. */
      to: z.string().min(1).max(128),
      /** The destination port (default: the destination node's listening port). */
      port: z.number().int().min(1).max(65535).optional(),
      /** `tcp` (default), `udp` or `icmp`. */
      protocol: z.enum(['tcp', 'udp', 'icmp']).optional(),
      /** The initiator's source port: ACLs must let the replies back to it (default: every port of its ephemeral range). */
      sourcePort: z.number().int().min(1).max(65535).optional(),
    })
      .refine((input) => input.protocol !== 'icmp' || (input.port === undefined && input.sourcePort === undefined), { message: 'icmp has no ports: give neither port nor sourcePort' }),
    'Trace a flow hop by hop (security groups, subnet, network ACL, route table, route, gateway/peering/NAT, destination, the reply) and say whether it is reachable or what blocks it.',
  ),
};
