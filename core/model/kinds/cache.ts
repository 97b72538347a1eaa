import { z } from 'zod';
import { INERT, defineKind } from './descriptor.js';
import { WIDE_EPHEMERAL, securityGroupFields, securityGroupsReference } from './filters.js';
import { addressFields, baseFields } from './fields.js';

export const CacheNodeSchema = z.strictObject({
  ...baseFields,
  ...addressFields,
  kind: z.literal('cache'),
  ...securityGroupFields,
  maxBytes: z.number().int().min(0).optional(),
  /** Freshness in seconds for responses without explicit freshness information. */
  defaultTtl: z.number().int().min(0).optional(),
  internetFacing: z.boolean().optional(),
});

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
    sends: { role: 'upstreams', to: ['http', 'pool'] },
    forwards: true,
    internet: 'when-facing',
    traceEndpoint: true,
    securityGroups: true,
    ephemeralPorts: WIDE_EPHEMERAL,
  },
  references: [securityGroupsReference<z.output<typeof CacheNodeSchema>>()],
  initial: {},
});
