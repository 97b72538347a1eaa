import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, CidrText, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('vpc'),
    cidr: CidrText,
    secondaryCidrs: z.array(CidrText).max(5).optional(),
    region: z.string().max(64).optional(),
  });

/** A VPC: an isolated network with its own address blocks; holds subnets, route tables and gateways. */
export const vpc = defineKind({
  kind: 'vpc',
  schema: nodeSchema,
  label: 'VPC',
  idPrefix: 'vpc',
  parents: [null],
  traits: { ...INERT, container: { width: 720, height: 440 } },
  references: [],
  initial: {},
});
