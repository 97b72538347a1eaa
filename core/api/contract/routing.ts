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
      /** A node id, an IPv4/IPv6 address, or a DNS name of the design's zones (every answer is traced). */
      to: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535).optional(),
    }),
    'Trace a flow hop by hop (subnet, route table, route, gateway/peering/NAT, destination) and say whether it is reachable or which node blocks it.',
  ),
};
