import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { GatewayAuth } from '../../../model/kinds/gateway-fields.js';
import { authorizationOf, quotable, type Authenticator } from './identity.js';
import { parseSecretJson, type SecretFile } from './secrets.js';

type BasicAuth = Extract<GatewayAuth, { type: 'basic' }>;

/** The users file: `{ "users": [{ "name": "ops", "password": "…", "scopes": ["admin"] }] }`. */
export const BasicUsersFileSchema = z.strictObject({
  users: z
    .array(z.strictObject({ name: z.string().min(1).max(128).regex(/^[^:]*$/, 'a user name cannot hold ":"'), password: z.string().min(1).max(512), scopes: z.array(z.string().max(128)).optional() }))
    .min(1),
});

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * HTTP basic authentication (RFC 7617): `Authorization: Basic base64(user:password)`,
 * strictly parsed (canonical base64, one colon at least, UTF-8); passwords compared as
 * SHA-256 digests with `timingSafeEqual`.
 */
export function createBasicAuth(auth: BasicAuth, secret: SecretFile): Authenticator {
  const file = parseSecretJson(secret, BasicUsersFileSchema, 'a users file ({ "users": [{ "name", "password", "scopes"? }] })');
  const users = new Map(file.users.map((u) => [u.name, { password: digest(u.password), scopes: u.scopes ?? [] }]));
  const challenge = `Basic realm="${quotable(auth.realm ?? 'topolab')}", charset="UTF-8"`;
  return (req) => {
    const header = authorizationOf(req);
    if (header === undefined) return { ok: false, status: 401, challenge, reason: 'no (or more than one) Authorization header' };
    const match = /^Basic +(\S+)$/i.exec(header.trim());
    if (!match) return { ok: false, status: 401, challenge, reason: 'the Authorization header is not "Basic <base64>"' };
    const encoded = match[1] as string;
    if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) return { ok: false, status: 401, challenge, reason: 'the basic credentials are not valid base64' };
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return { ok: false, status: 401, challenge, reason: 'the basic credentials have no ":" between user and password' };
    const user = users.get(decoded.slice(0, colon));
    // Compare against a digest even for an unknown user, so timing does not tell users apart.
    const offered = digest(decoded.slice(colon + 1));
    const ok = timingSafeEqual(offered, user?.password ?? digest('\0unknown')) && user !== undefined;
    if (!ok) return { ok: false, status: 401, challenge, reason: 'wrong user name or password' };
    return { ok: true, identity: { id: decoded.slice(0, colon), scopes: user.scopes, via: 'basic' } };
  };
}
