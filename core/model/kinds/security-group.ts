import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { sgRuleReference } from './filters.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, SgInboundRuleSchema, SgOutboundRuleSchema, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('security-group'),
    /** The VPC's default group: used by every node of the VPC that lists no `securityGroups`. */
    default: z.boolean().optional(),
    /** Allow rules for traffic in; nothing else comes in. */
    inbound: z.array(SgInboundRuleSchema).default([]),
    /** Allow rules for traffic out; exactly these (no implicit allow-all in the file). */
    outbound: z.array(SgOutboundRuleSchema).default([]),
  });

type SecurityGroup = z.output<ReturnType<typeof nodeSchema>>;

/**
 * A security group: stateful allow rules on the nodes that list it (replies always pass).
 * A flow needs an outbound rule of one of the sender's groups and an inbound rule of one
 * of the receiver's. A rule's peer is a CIDR or another group (its members' private
 * addresses), in the same VPC or a VPC peered in the same region.
 */
export const securityGroup = defineKind({
  kind: 'security-group',
  schema: nodeSchema,
  label: 'Security group',
  idPrefix: 'sg',
  parents: ['vpc'],
  traits: INERT,
  references: [sgRuleReference<SecurityGroup>('inbound'), sgRuleReference<SecurityGroup>('outbound')],
  // As AWS creates a group: no inbound rule, every destination allowed out.
  initial: { inbound: [], outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] },
});
