import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { WIDE_EPHEMERAL } from './filters.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, addressFields, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    ...addressFields,
    kind: z.literal('nat-gateway'),
  });

/**
 * A NAT gateway: a route target in a public subnet that forwards outbound traffic of
 * private subnets with its own address; it accepts no connection from the internet.
 */
export const natGateway = defineKind({
  kind: 'nat-gateway',
  schema: nodeSchema,
  label: 'NAT gateway',
  idPrefix: 'nat',
  parents: ['subnet'],
  defaultPort: 0,
  traits: { ...INERT, addressable: true, routeTarget: 'nat-gateway', internet: 'never', traceEndpoint: true, ephemeralPorts: WIDE_EPHEMERAL },
  references: [],
  initial: {},
});
