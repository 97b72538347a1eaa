import { z } from 'zod';
import { PortSchema } from './fields.js';

/** HSTS (RFC 6797): browsers that saw it go to HTTPS on their own for `maxAgeSeconds`. */
export const HstsSchema = z.strictObject({
  /** `max-age`, seconds (two years at most, the preload list's figure). */
  maxAgeSeconds: z.number().int().min(0).max(63_072_000),
  includeSubDomains: z.boolean().optional(),
  preload: z.boolean().optional(),
});

/**
 * HTTPS on a layer-7 balancer, a reverse proxy or a cache: a second listener on `port`
 * (default 443) with certificates from the project's local certificate authority, one per
 * host name (chosen by SNI). Additive: a node without the block serves plain HTTP only.
 */
export const TlsSchema = z.strictObject({
  /** `false` keeps the settings but serves no HTTPS (default true). */
  enabled: z.boolean().optional(),
  /** The HTTPS port (default 443); the node's `port` stays the plain HTTP one. */
  port: PortSchema.optional(),
  /**
   * Host names to certify (SNI: one certificate each, the first is the default for a client
   * that sends no name); `*.shop.example` wildcards allowed. Besides these, the design's DNS
   * names pointing at the node and its proxy rules' hosts are certified.
   */
  hosts: z.array(z.string().max(253)).max(100).optional(),
  /** The plain port answers every request with this redirect to `https://` (308 keeps the method and body). */
  redirect: z.union([z.literal(301), z.literal(308)]).optional(),
  /** `Strict-Transport-Security` on HTTPS answers. */
  hsts: HstsSchema.optional(),
  /** Lowest protocol version accepted (default TLSv1.2; older ones are never offered). */
  minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).optional(),
  /** Connect to upstreams over HTTPS (their own `tls` listener), verifying them with the project's CA only, SNI = their certified name; applies even with `enabled: false`. */
  upstream: z.boolean().optional(),
});
