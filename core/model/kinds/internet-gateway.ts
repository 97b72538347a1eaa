import { z } from 'zod';
import { INERT, defineKind } from './descriptor.js';
import { baseFields } from './fields.js';

export const InternetGatewayNodeSchema = z.strictObject({
  ...baseFields,
  kind: z.literal('internet-gateway'),
});

/** An internet gateway: a VPC's door to the internet, the target of a public subnet's default route. */
export const internetGateway = defineKind({
  kind: 'internet-gateway',
  schema: InternetGatewayNodeSchema,
  label: 'Internet gateway',
  idPrefix: 'igw',
  parents: ['vpc'],
  traits: { ...INERT, routeTarget: 'internet-gateway' },
  references: [],
  initial: {},
});
