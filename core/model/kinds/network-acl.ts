import type { z } from 'zod';
import type { SchemaKit } from './schema-kit.js';
import { INERT, defineKind } from './descriptor.js';
import { idListReference } from './references.js';

/** The schema of a node of this kind, built from the kit by node-schemas.ts. */
const nodeSchema = ({ z, IdSchema, NaclRuleSchema, baseFields }: SchemaKit) =>
  z.strictObject({
    ...baseFields,
    kind: z.literal('network-acl'),
    /** The VPC's default ACL: used by every subnet that no ACL lists. */
    default: z.boolean().optional(),
    /** Subnets associated with this ACL (a subnet sits in at most one ACL). */
    subnets: z.array(IdSchema).default([]),
    /** Rules for traffic entering the subnets, lowest number first; no match denies. */
    inbound: z.array(NaclRuleSchema).default([]),
    /** Rules for traffic leaving the subnets, lowest number first; no match denies. */
    outbound: z.array(NaclRuleSchema).default([]),
  });

/**
 * A network ACL: stateless numbered rules at the edge of its subnets. Traffic that crosses
 * a subnet boundary needs the leaving subnet's outbound and the entered subnet's inbound
 * rules, and its replies need the same the other way (to the sender's ephemeral ports).
 */
export const networkAcl = defineKind({
  kind: 'network-acl',
  schema: nodeSchema,
  label: 'Network ACL',
  idPrefix: 'acl',
  parents: ['vpc'],
  traits: INERT,
  references: [idListReference<z.output<ReturnType<typeof nodeSchema>>>('subnets', 'associated subnet', (target) => target.kind === 'subnet')],
  // As AWS creates a custom ACL: no rule, so everything is denied until rules are added.
  initial: { subnets: [], inbound: [], outbound: [] },
});
