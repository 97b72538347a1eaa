import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { GatewayAuth } from '../../../model/kinds/gateway-fields.js';
import type { Authenticator, Identity } from './identity.js';
import { parseSecretJson, type SecretFile } from './secrets.js';

type ApiKeyAuth = Extract<GatewayAuth, { type: 'api-key' }>;

/** The API keys file: `{ "keys": [{ "key": "…", "id": "mobile-app", "scopes": ["orders:read"] }] }`. */
export const ApiKeysFileSchema = z.strictObject({
  keys: z
    .array(z.strictObject({ key: z.string().min(8).max(512), id: z.string().min(1).max(128), scopes: z.array(z.string().max(128)).optional() }))
    .min(1),
});

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * API-key authentication: the key from a header (default `x-api-key`) or a query
 * parameter, looked up by its SHA-256 digest (no early-exit string comparison on the key
 * itself). A request that sends the key twice is refused: which one counts would be a guess.
 */
export function createApiKeyAuth(auth: ApiKeyAuth, secret: SecretFile): Authenticator {
  const file = parseSecretJson(secret, ApiKeysFileSchema, 'an API keys file ({ "keys": [{ "key", "id", "scopes"? }] })');
  const byDigest = new Map<string, Identity>();
  for (const entry of file.keys) byDigest.set(digest(entry.key), { id: entry.id, scopes: entry.scopes ?? [], via: 'api-key' });
  const header = auth.query !== undefined && auth.header === undefined ? undefined : (auth.header ?? 'x-api-key').toLowerCase();
  const where = [header !== undefined ? `header="${header}"` : '', auth.query !== undefined ? `query="${auth.query}"` : ''].filter(Boolean).join(', ');
  const challenge = `ApiKey realm="topolab", ${where}`;
  return (req, url) => {
    const found: string[] = [];
    if (header !== undefined) {
      const value = req.headers[header];
      if (Array.isArray(value)) found.push(...value);
      else if (value !== undefined) found.push(value);
    }
    if (auth.query !== undefined) found.push(...url.searchParams.getAll(auth.query));
    if (found.length === 0) return { ok: false, status: 401, challenge, reason: `no API key (${where})` };
    if (found.length > 1) return { ok: false, status: 401, challenge, reason: 'the API key was sent more than once' };
    const identity = byDigest.get(digest(found[0] as string));
    if (identity === undefined) return { ok: false, status: 401, challenge, reason: 'unknown API key' };
    return { ok: true, identity };
  };
}
