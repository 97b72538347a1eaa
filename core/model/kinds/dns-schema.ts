import { z } from 'zod';
import { HealthCheckSchema } from './fields.js';

/** DNS record types a zone holds. */
export const DnsRecordTypeSchema = z.enum(['A', 'AAAA', 'CNAME', 'TXT']);
/** Route 53's routing policies. */
export const DnsRoutingPolicySchema = z.enum(['simple', 'weighted', 'failover', 'multivalue', 'latency']);

/**
 * One record set of a zone. `values` name nodes (their designed address is answered) or are
 * literal addresses, CNAME targets or texts. TTL and name syntax are the validator's, so a
 * file with a wrong value still opens and the problem is explained.
 */
export const DnsRecordSchema = z.strictObject({
  /** Relative to the zone (`www`), `@` for the apex. */
  name: z.string().max(255),
  type: DnsRecordTypeSchema,
  /** Seconds; 0 to 2147483647 (RFC 2181 §8), checked by the validator (`dns-ttl-range`). */
  ttl: z.number(),
  values: z.array(z.string().max(4000)).min(1).max(400),
  policy: DnsRoutingPolicySchema,
  /** `weighted`: one weight (0–255) per value, in order. */
  weights: z.array(z.number().int().min(0).max(255)).optional(),
  /** Each value is health-checked; unhealthy values leave the answers (not for `simple`). */
  healthCheck: HealthCheckSchema.optional(),
});
