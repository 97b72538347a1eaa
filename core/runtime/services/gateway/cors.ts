import type { IncomingMessage } from 'node:http';
import type { GatewayCors } from '../../../model/kinds/gateway-fields.js';

/** Methods a browser sends without asking (CORS-safelisted). */
const SIMPLE_METHODS = ['GET', 'HEAD', 'POST'];

/** Whether a request is a CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && typeof req.headers.origin === 'string' && typeof req.headers['access-control-request-method'] === 'string';
}

/** Whether an origin is allowed (exact, case-insensitive scheme and host; or `*`). */
export function originAllowed(cors: GatewayCors, origin: string): boolean {
  const lower = origin.toLowerCase();
  return cors.origins.some((o) => o === '*' || o.toLowerCase() === lower);
}

/** The `Access-Control-Allow-Origin`/`-Credentials`/`Vary` trio for an allowed origin. */
function originHeaders(cors: GatewayCors, origin: string): Record<string, string> {
  // With credentials the origin is echoed (browsers refuse `*` then); `*` only when any origin goes and no credentials.
  const any = cors.origins.includes('*') && cors.credentials !== true;
  return {
    'access-control-allow-origin': any ? '*' : origin,
    ...(cors.credentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(any ? {} : { vary: 'Origin' }),
  };
}

/** The answer to a preflight: 204 with the allowed methods and headers, or 403 and why. */
export type PreflightAnswer = { ok: true; headers: Record<string, string> } | { ok: false; reason: string };

/**
 * Answers a preflight (the Fetch standard's CORS protocol): the origin must be listed, the
 * requested method allowed (the list, else the route's methods, else the safelisted ones),
 * each requested header listed (case-insensitive).
 */
export function answerPreflight(cors: GatewayCors, routeMethods: readonly string[] | undefined, req: IncomingMessage): PreflightAnswer {
  const origin = req.headers.origin as string;
  if (!originAllowed(cors, origin)) return { ok: false, reason: `the origin "${origin.slice(0, 200)}" is not allowed` };
  const method = (req.headers['access-control-request-method'] as string).trim().toUpperCase();
  const methods = cors.methods ?? routeMethods ?? SIMPLE_METHODS;
  if (!methods.includes(method) && !SIMPLE_METHODS.includes(method)) return { ok: false, reason: `the method "${method.slice(0, 32)}" is not allowed` };
  const allowedHeaders = new Set((cors.headers ?? []).map((h) => h.toLowerCase()));
  const asked = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const refused = asked.filter((h) => !allowedHeaders.has(h));
  if (refused.length > 0) return { ok: false, reason: `the header${refused.length > 1 ? 's' : ''} ${refused.slice(0, 5).join(', ').slice(0, 200)} ${refused.length > 1 ? 'are' : 'is'} not allowed` };
  return {
    ok: true,
    headers: {
      ...originHeaders(cors, origin),
      'access-control-allow-methods': [...new Set([...methods, ...SIMPLE_METHODS.filter((m) => methods.includes(m))])].join(', '),
      ...(allowedHeaders.size > 0 ? { 'access-control-allow-headers': [...(cors.headers ?? [])].join(', ') } : {}),
      'access-control-max-age': String(cors.maxAgeSeconds ?? 600),
    },
  };
}

/** Headers for an actual (non-preflight) cross-origin request from an allowed origin; none otherwise. */
export function corsResponseHeaders(cors: GatewayCors, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !originAllowed(cors, origin)) return {};
  return {
    ...originHeaders(cors, origin),
    ...(cors.exposeHeaders !== undefined && cors.exposeHeaders.length > 0 ? { 'access-control-expose-headers': cors.exposeHeaders.join(', ') } : {}),
  };
}
