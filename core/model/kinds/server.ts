import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { LINUX_EPHEMERAL, securityGroupsReference } from './filters.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, LatencySchema, addressFields, baseFields, dependencyCallFields, securityGroupFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    ...addressFields,
    kind: z.literal('server'),
    ...securityGroupFields,
    latencyMs: LatencySchema.optional(),
    errorRate: z.number().min(0).max(1).optional(),
    /** A user command run instead of the built-in app, with PORT and HOST set. */
    command: z.string().max(4096).optional(),
    weight: z.number().int().min(0).max(256).optional(),
    ...dependencyCallFields,
  });

/**
 * A server: answers HTTP at its designed address. Its edges are its dependencies (a
 * database, an internal API): it calls each of them for every request it serves, so it
 * sends to what has one address (never to a pool, which needs a balancer in front). As an
 * instance it may also be a route target (forwarding as a router), and it is reachable from
 * the internet in a public subnet (a public address). Inside an auto-scaling group it
 * describes the group's instances.
 */
export const server = defineKind({
  kind: 'server',
  schema: nodeSchema,
  label: 'Server',
  idPrefix: 'web',
  parents: ['subnet', 'autoscaling-group'],
  defaultPort: 80,
  traits: {
    ...INERT,
    addressable: true,
    receives: 'http',
    sends: { role: 'dependencies', to: ['http'], protocols: ['http', 'tcp'] },
    calls: true,
    routeTarget: 'instance',
    internet: 'public-address',
    traceEndpoint: true,
    securityGroups: true,
    ephemeralPorts: LINUX_EPHEMERAL,
  },
  references: [securityGroupsReference<z.output<ReturnType<typeof nodeSchema>>>()],
  initial: {},
});
