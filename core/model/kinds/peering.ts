import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { idPairReference } from './references.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, IdSchema, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('peering'),
    /** The two peered VPCs (requester first). */
    vpcs: z.tuple([IdSchema, IdSchema]),
  });

/** A VPC peering: joins two VPCs; each side routes the other's CIDR to it. Drawn as a connection between the VPCs. */
export const peering = defineKind({
  kind: 'peering',
  schema: nodeSchema,
  label: 'VPC peering',
  idPrefix: 'pcx',
  parents: [null],
  traits: { ...INERT, routeTarget: 'peering' },
  references: [idPairReference<z.output<ReturnType<typeof nodeSchema>>>('vpcs', 'peered VPC', (target) => target.kind === 'vpc', 'peering-self')],
  initial: {},
});
