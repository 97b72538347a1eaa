import type { z } from 'zod';
import type { HstsSchema, TlsSchema } from './tls-schema.js';

/** The port an HTTPS listener takes when `tls.port` is absent. */
export const DEFAULT_TLS_PORT = 443;

/** The `tls` block of a node. */
export type TlsSettings = z.output<typeof TlsSchema>;

/** The block when it turns HTTPS on (present and not `enabled: false`). */
export function activeTls(node: { tls?: TlsSettings | undefined }): TlsSettings | undefined {
  return node.tls !== undefined && node.tls.enabled !== false ? node.tls : undefined;
}

/** The HTTPS port of a node whose `tls` is active. */
export function tlsPort(tls: TlsSettings): number {
  return tls.port ?? DEFAULT_TLS_PORT;
}

/** The `Strict-Transport-Security` value of an HSTS setting. */
export function hstsValue(hsts: z.output<typeof HstsSchema>): string {
  return [`max-age=${hsts.maxAgeSeconds}`, ...(hsts.includeSubDomains ? ['includeSubDomains'] : []), ...(hsts.preload ? ['preload'] : [])].join('; ');
}
