import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { WIDE_EPHEMERAL, securityGroupsReference } from './filters.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, HealthCheckSchema, StickySchema, TlsSchema, addressFields, baseFields, forwardingLimitFields, securityGroupFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    ...addressFields,
    kind: z.literal('load-balancer'),
    ...securityGroupFields,
    layer: z.union([z.literal(4), z.literal(7)]).default(7),
    algorithm: z
      .enum(['round-robin', 'weighted-round-robin', 'least-connections', 'source-hash', 'random-two'])
      .default('round-robin'),
    healthCheck: HealthCheckSchema.optional(),
    sticky: StickySchema.optional(),
    internetFacing: z.boolean().optional(),
    ...forwardingLimitFields,
    /** HTTPS listener with the project's local CA (layer-7 only on a balancer). */
    tls: TlsSchema.optional(),
  });

/**
 * A load balancer: spreads requests over its targets (servers, groups, other forwarders),
 * reachable from the internet only when internet-facing.
 */
export const loadBalancer = defineKind({
  kind: 'load-balancer',
  schema: nodeSchema,
  label: 'Load balancer',
  idPrefix: 'lb',
  parents: ['subnet'],
  defaultPort: 80,
  traits: {
    ...INERT,
    addressable: true,
    receives: 'http',
    sends: { role: 'targets', to: ['http', 'pool'], protocols: ['http', 'tcp'] },
    forwards: true,
    internet: 'when-facing',
    traceEndpoint: true,
    securityGroups: true,
    ephemeralPorts: WIDE_EPHEMERAL,
    tls: true,
  },
  references: [securityGroupsReference<z.output<ReturnType<typeof nodeSchema>>>()],
  // A layer-4 balancer pipes TCP connections: what is sent to it is a connection.
  edgeProtocol: (node) => (node.layer === 4 ? 'tcp' : 'http'),
  initial: { layer: 7, algorithm: 'round-robin' },
});
