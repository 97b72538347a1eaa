import { STICKY_DEFAULTS } from '../../model/defaults.js';

/** Sticky-session settings with defaults filled in. */
export interface StickySettings {
  cookie: string;
  ttlSeconds: number;
}

/** Default cookie name and lifetime (one hour). */
export function resolveSticky(input: { cookie?: string; ttlSeconds?: number }): StickySettings {
  return { cookie: input.cookie ?? STICKY_DEFAULTS.cookie, ttlSeconds: input.ttlSeconds ?? STICKY_DEFAULTS.ttlSeconds };
}

/** The value of cookie `name` in a `Cookie` header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header === '') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}

/** The `Set-Cookie` value that pins a client to `nodeId` (node ids are cookie-safe characters). */
export function stickyCookie(settings: StickySettings, nodeId: string): string {
  return `${settings.cookie}=${nodeId}; Path=/; Max-Age=${settings.ttlSeconds}; HttpOnly; SameSite=Lax`;
}
