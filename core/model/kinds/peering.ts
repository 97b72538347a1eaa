import { z } from 'zod';
import { INERT, defineKind } from './descriptor.js';
import { baseFields, IdSchema } from './fields.js';
import { idPairReference } from './references.js';

export const PeeringNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('peering'),
  /** The two peered VPCs (requester first). */
  vpcs: z.tuple([IdSchema, IdSchema]),
});

/** A VPC peering: joins two VPCs; each side routes the other's CIDR to it. Drawn as a connection between the VPCs. */
export const peering = defineKind({
  kind: 'peering',
  schema: PeeringNodeSchema,
  label: 'VPC peering',
  idPrefix: 'pcx',
  parents: [null],
  traits: { ...INERT, routeTarget: 'peering' },
  references: [idPairReference<z.output<typeof PeeringNodeSchema>>('vpcs', 'peered VPC', (target) => target.kind === 'vpc', 'peering-self')],
  initial: {},
});
