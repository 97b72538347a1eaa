import { z } from 'zod';
import { INERT, defineKind } from './descriptor.js';
import { baseFields, CidrText } from './fields.js';

export const VpcNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('vpc'),
  cidr: CidrText,
  secondaryCidrs: z.array(CidrText).max(5).optional(),
  region: z.string().max(64).optional(),
});

/** A VPC: an isolated network with its own address blocks; holds subnets, route tables and gateways. */
export const vpc = defineKind({
  kind: 'vpc',
  schema: VpcNodeSchema,
  label: 'VPC',
  idPrefix: 'vpc',
  parents: [null],
  traits: { ...INERT, container: { width: 720, height: 440 } },
  references: [],
  initial: {},
});
