import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, CidrText, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('subnet'),
    cidr: CidrText,
    zone: z.string().max(64).optional(),
  });

/**
 * A subnet: a block of its VPC in one zone, public or private by its route table. A trace
 * may start or end at it (routed on its network address), and the internet reaches it
 * when it is public.
 */
export const subnet = defineKind({
  kind: 'subnet',
  schema: nodeSchema,
  label: 'Subnet',
  idPrefix: 'subnet',
  parents: ['vpc'],
  traits: { ...INERT, container: { width: 320, height: 208 }, internet: 'public-address', traceEndpoint: true },
  references: [],
  initial: {},
});
