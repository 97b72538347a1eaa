import { z } from 'zod';
import { CidrText, IdSchema } from './fields.js';

/**
 * Schema pieces of the traffic filters: security group rules, network ACL rules, and the
 * `securityGroups` field of the nodes they filter. The shape is checked here; what the
 * values mean (port syntax, CIDRs, rule numbers, which groups may be named) is the
 * validator's, which explains mistakes (`sg-rule-invalid`, `nacl-rule-invalid`, ...).
 */

/** A filter rule's protocol: `all` is every protocol (AWS `-1`). */
export const FilterProtocolSchema = z.enum(['tcp', 'udp', 'icmp', 'all']);

/** `"443"` or `"1024-65535"`: required for tcp and udp, refused otherwise (checked by the validator). */
export const PortsText = z.string().max(16);

const ruleFields = {
  protocol: FilterProtocolSchema,
  ports: PortsText.optional(),
  description: z.string().max(255).optional(),
};

/**
 * A security group peer: a CIDR (it holds a `/`), or the id of a security group, which
 * stands for the private addresses of its members. Ids never hold `/`, so the two never mix.
 */
export const SgPeerText = z.string().min(1).max(128);

/** An inbound security group rule: traffic from `source` is allowed in. */
export const SgInboundRuleSchema = z.strictObject({ ...ruleFields, source: SgPeerText });
/** An outbound security group rule: traffic to `destination` is allowed out. */
export const SgOutboundRuleSchema = z.strictObject({ ...ruleFields, destination: SgPeerText });

/** One network ACL rule: evaluated lowest `rule` first, the first match decides. */
export const NaclRuleSchema = z.strictObject({
  /** 1 to 32766 (checked by the validator, which explains it). */
  rule: z.number().int(),
  action: z.enum(['allow', 'deny']),
  ...ruleFields,
  cidr: CidrText,
});

/** The fields a node filtered by security groups has (addressable kinds but NAT gateways, and auto-scaling groups). */
export const securityGroupFields = {
  /** 1 to 5 security groups of the node's VPC; none: the VPC's default group, if it has one. */
  securityGroups: z.array(IdSchema).min(1).optional(),
};
