import { z } from 'zod';
import { INERT, defineKind, type NodeReference } from './descriptor.js';
import { WIDE_EPHEMERAL, securityGroupFields, securityGroupsReference } from './filters.js';
import { addressFields, baseFields, IdSchema } from './fields.js';
import { idListReference } from './references.js';

export const CacheNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('cache'),
  ...securityGroupFields,
  maxBytes: z.number().int().min(0).optional(),
  /** Freshness in seconds for responses without explicit freshness information. */
  defaultTtl: z.number().int().min(0).optional(),
  internetFacing: z.boolean().optional(),
  /**
   * Origins named by DNS (`app.shop.example`, a name of the design's zones), fetched from
   * besides the edge targets: the lab resolves each as the cache's node asks, again whenever
   * the answer's TTL runs out. A node id is taken too, as an edge would be.
   */
  origins: z.array(IdSchema).max(16).optional(),
});

type Cache = z.output<typeof CacheNodeSchema>;

/** `origins[]`: what the cache fetches from besides its edges; a DNS name of the design stands for the nodes it answers. */
const origins: NodeReference<Cache> = {
  ...idListReference<Cache>('origins', 'origin', (target) => target.traits.receives === 'http' || target.traits.receives === 'pool'),
  dnsNames: true,
};

/** An HTTP cache in front of its origins (its edge targets; a cache may sit in front of another, as a tiered cache does). */
export const cache = defineKind({
  kind: 'cache',
  schema: CacheNodeSchema,
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
  },
  references: [securityGroupsReference<Cache>(), origins],
  initial: {},
});
