import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { WIDE_EPHEMERAL, securityGroupsReference } from './filters.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, addressFields, baseFields, securityGroupFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    ...addressFields,
    kind: z.literal('forward-proxy'),
    ...securityGroupFields,
    /** Host names, `*.domain` wildcards or CIDRs that may be reached. */
    allow: z.array(z.string().max(255)).optional(),
    /** Host names, `*.domain` wildcards or CIDRs that are refused (checked before `allow`). */
    deny: z.array(z.string().max(255)).optional(),
  });

/**
 * A forward (egress) proxy: proxy-aware clients send it absolute-form requests or CONNECT,
 * and it reaches the destination they name, filtered by its allow and deny lists. A
 * balancer, reverse proxy or cache sends plain requests, which a forward proxy refuses
 * (400), so only clients send to it. Its edges name the destinations it is meant to
 * reach (plain HTTP listeners). As an instance it may be a route target.
 */
export const forwardProxy = defineKind({
  kind: 'forward-proxy',
  schema: nodeSchema,
  label: 'Forward proxy',
  idPrefix: 'egress',
  parents: ['subnet'],
  defaultPort: 3128,
  traits: {
    ...INERT,
    addressable: true,
    receives: 'proxy',
    sends: { role: 'destinations', to: ['http'], protocols: ['http', 'tcp'] },
    routeTarget: 'instance',
    internet: 'public-address',
    traceEndpoint: true,
    securityGroups: true,
    ephemeralPorts: WIDE_EPHEMERAL,
  },
  references: [securityGroupsReference<z.output<ReturnType<typeof nodeSchema>>>()],
  initial: {},
});
