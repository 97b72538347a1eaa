import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('internet-gateway'),
  });

/** An internet gateway: a VPC's door to the internet, the target of a public subnet's default route. */
export const internetGateway = defineKind({
  kind: 'internet-gateway',
  schema: nodeSchema,
  label: 'Internet gateway',
  idPrefix: 'igw',
  parents: ['vpc'],
  traits: { ...INERT, routeTarget: 'internet-gateway' },
  references: [],
  initial: {},
});
