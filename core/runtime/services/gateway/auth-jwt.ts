import { createLocalJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { GatewayAuth } from '../../../model/kinds/gateway-fields.js';
import { authorizationOf, quotable, type AuthResult, type Authenticator } from './identity.js';
import { parseSecretJson, type SecretFile } from './secrets.js';

type JwtAuth = Extract<GatewayAuth, { type: 'jwt' }>;

/** A JWKS file: `{ "keys": [ JWK, ... ] }` (public keys; checked in depth by jose). */
const JwksFileSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) });

/** Longest bearer token accepted (the front end bounds the header too). */
const MAX_TOKEN_CHARS = 8192;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The scopes a token grants: `scope` (space-separated, RFC 8693) or `scp` (a list or a string). */
function scopesOf(payload: JWTPayload): string[] {
  const raw = payload['scope'] ?? payload['scp'];
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

/** Why jose refused a token, in words safe for a challenge (never the token). */
function refusalReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" failed: ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token\'s algorithm is not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the JWKS matches the token';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'the token is malformed';
  return 'the token is not valid';
}

/**
 * Bearer-token authentication with JWTs (RFC 7519), verified by `jose`: HS256 with a shared
 * secret, RS256/ES256 with a local JWKS. `alg` must be one the route accepts (so `none` and
 * an HS256 token signed with a public key are refused), `exp` is required, `nbf`, `iss` and
 * `aud` are checked with the route's clock skew. Refusals follow RFC 6750 (`invalid_token`).
 */
export function createJwtAuth(auth: JwtAuth, hsSecret: SecretFile | undefined, jwksSecret: SecretFile | undefined): Authenticator {
  const hsKey = hsSecret === undefined ? undefined : new TextEncoder().encode(hsSecret.text.trim());
  if (hsSecret !== undefined && (hsKey?.length ?? 0) < 32) throw new Error(`gateway secret "${hsSecret.name}" (${hsSecret.path}): an HS256 key needs at least 32 bytes`);
  const jwks = jwksSecret === undefined ? undefined : createLocalJWKSet(parseSecretJson(jwksSecret, JwksFileSchema, 'a JWKS ({ "keys": [...] })') as Parameters<typeof createLocalJWKSet>[0]);
  const algorithms = auth.algorithms ?? [...(hsKey ? ['HS256'] : []), ...(jwks ? ['RS256', 'ES256'] : [])];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256') {
      if (hsKey === undefined) throw new errors.JOSEAlgNotAllowed('HS256 is not accepted');
      return hsKey;
    }
    if (jwks === undefined) throw new errors.JOSEAlgNotAllowed(`${String(header.alg)} is not accepted`);
    return jwks(header, token);
  };
  const realm = 'topolab';
  const clockTolerance = auth.clockSkewSeconds ?? 30;
  const refuse = (reason: string, error = true): AuthResult => ({
    ok: false,
    status: 401,
    challenge: error ? `Bearer realm="${realm}", error="invalid_token", error_description="${quotable(reason)}"` : `Bearer realm="${realm}"`,
    reason,
  });
  return async (req) => {
    const header = authorizationOf(req);
    if (header === undefined) return refuse('no (or more than one) Authorization header', false);
    const match = /^Bearer +(\S+)$/i.exec(header.trim());
    if (!match) return refuse('the Authorization header is not "Bearer <token>"');
    const token = match[1] as string;
    if (token.length > MAX_TOKEN_CHARS) return refuse(`the token is longer than ${MAX_TOKEN_CHARS} characters`);
    if (!COMPACT_JWS.test(token)) return refuse('the token is not a compact JWS (three base64url parts)');
    try {
      const { payload } = await jwtVerify(token, getKey, {
        algorithms,
        clockTolerance,
        requiredClaims: ['exp'],
        ...(auth.issuer !== undefined ? { issuer: auth.issuer } : {}),
        ...(auth.audience !== undefined ? { audience: auth.audience } : {}),
      });
      return { ok: true, identity: { id: typeof payload.sub === 'string' ? payload.sub : '(no sub)', scopes: scopesOf(payload), via: 'jwt' } };
    } catch (error) {
      return refuse(refusalReason(error));
    }
  };
}
