import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind, type NodeReference } from './descriptor.js';
import { WIDE_EPHEMERAL, securityGroupsReference } from './filters.js';
import { idListReference } from './references.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, IdSchema, TlsSchema, addressFields, baseFields, securityGroupFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    ...addressFields,
    kind: z.literal('cache'),
    ...securityGroupFields,
    maxBytes: z.number().int().min(0).optional(),
    /** Freshness in seconds for responses without explicit freshness information. */
    defaultTtl: z.number().int().min(0).optional(),
    internetFacing: z.boolean().optional(),
    /** HTTPS listener with the project's local CA (layer-7 only on a balancer). */
    tls: TlsSchema.optional(),
    /**
     * Origins named by DNS (`app.shop.example`, a name of the design's zones), fetched from
     * besides the edge targets: the lab resolves each as the cache's node asks, again whenever
     * the answer's TTL runs out. A node id is taken too, as an edge would be.
     */
    origins: z.array(IdSchema).max(16).optional(),
  });

type Cache = z.output<ReturnType<typeof nodeSchema>>;

/** `origins[]`: what the cache fetches from besides its edges; a DNS name of the design stands for the nodes it answers. */
const origins: NodeReference<Cache> = {
  ...idListReference<Cache>('origins', 'origin', (target) => target.traits.receives === 'http' || target.traits.receives === 'pool'),
  dnsNames: true,
};

/** An HTTP cache in front of its origins (its edge targets; a cache may sit in front of another, as a tiered cache does). */
export const cache = defineKind({
  kind: 'cache',
  schema: nodeSchema,
  label: 'Cache',
  idPrefix: 'cache',
  parents: ['subnet'],
  defaultPort: 80,
  traits: {
    ...INERT,
    addressable: true,
    receives: 'http',
    sends: { role: 'upstreams', to: ['http', 'pool'], protocols: ['http'] },
    forwards: true,
    internet: 'when-facing',
    traceEndpoint: true,
    securityGroups: true,
    ephemeralPorts: WIDE_EPHEMERAL,
    tls: true,
  },
  references: [securityGroupsReference<Cache>(), origins],
  initial: {},
});
