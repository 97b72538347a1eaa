import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';

/** The shared HS256 key of the test gateway (32 bytes or more, as the gateway requires). */
export const HS_SECRET = 'lab-only-hs256-secret-0123456789abcdef';
export const API_KEY = 'key-alice-0123456789';
export const OTHER_KEY = 'key-bob-0123456789ab';

/** A design folder with secret files and freshly generated RS256/ES256 keys (their public halves in the JWKS). */
export interface GatewayFolder {
  folder: string;
  rsa: CryptoKey;
  ec: CryptoKey;
  /** An RS256 key that is not in the JWKS. */
  stranger: CryptoKey;
  cleanup(): void;
}

export async function gatewayFolder(): Promise<GatewayFolder> {
  const folder = mkdtempSync(join(tmpdir(), 'topolab-gw-'));
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' }, { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' }] };
  writeFileSync(join(folder, 'jwks.json'), JSON.stringify(jwks));
  writeFileSync(join(folder, 'hs.key'), `${HS_SECRET}\n`);
  writeFileSync(join(folder, 'keys.json'), JSON.stringify({ keys: [{ key: API_KEY, id: 'alice', scopes: ['orders:read'] }, { key: OTHER_KEY, id: 'bob' }] }));
  writeFileSync(join(folder, 'users.json'), JSON.stringify({ users: [{ name: 'ops', password: 'pass word', scopes: ['admin'] }, { name: 'viewer', password: 'view-only' }, { name: 'colon', password: 'a:b:c' }] }));
  return { folder, rsa: rsa.privateKey, ec: ec.privateKey, stranger: stranger.privateKey, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Signs a token; `exp` one minute ahead unless the claims say otherwise. */
export async function sign(key: CryptoKey | Uint8Array, alg: 'HS256' | 'RS256' | 'ES256', claims: JWTPayload, kid?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ exp: now + 60, iat: now, ...claims }).setProtectedHeader({ alg, ...(kid !== undefined ? { kid } : {}) }).sign(key);
}

/** The gateway design of these tests: one reverse proxy with a route per feature. */
export function gatewayDesign(): Topology {
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { kind: 'vpc', id: 'vpc', cidr: '10.0.0.0/16' },
        { kind: 'subnet', id: 'public', parent: 'vpc', cidr: '10.0.1.0/24' },
        { kind: 'subnet', id: 'private', parent: 'vpc', cidr: '10.0.2.0/24' },
        { kind: 'internet-gateway', id: 'igw', parent: 'vpc' },
        { kind: 'route-table', id: 'rt-public', parent: 'vpc', subnets: ['public'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
        { kind: 'route-table', id: 'rt-private', parent: 'vpc', main: true, routes: [] },
        { kind: 'client', id: 'user' },
        {
          kind: 'reverse-proxy',
          id: 'gw',
          parent: 'public',
          ip: '10.0.1.20',
          internetFacing: true,
          gateway: {
            secrets: { keys: 'keys.json', users: 'users.json', hs: 'hs.key', jwks: 'jwks.json' },
            routes: [
              { id: 'catch-all', priority: -10, path: '/*', upstreams: ['users'] },
              { id: 'users-me', methods: ['GET'], path: '/users/me', upstreams: ['orders'] },
              {
                id: 'users',
                methods: ['GET', 'PUT'],
                path: '/users/{id}',
                rewrite: '/v2/users/{id}',
                upstreams: ['users'],
                auth: { type: 'api-key', keys: 'keys' },
                requestHeaders: { add: { 'x-from-gateway': 'yes' }, remove: ['x-drop'] },
                responseHeaders: { add: { 'x-gateway': 'topolab' } },
                cors: { origins: ['https://app.example'], methods: ['GET', 'PUT'], headers: ['x-api-key', 'content-type'], exposeHeaders: ['x-topolab-route'], credentials: true, maxAgeSeconds: 120 },
              },
              { id: 'query-key', path: '/q/*', stripPrefix: '/q', upstreams: ['users'], auth: { type: 'api-key', keys: 'keys', query: 'api_key' } },
              { id: 'admin', path: '/admin/*', upstreams: ['orders'], auth: { type: 'basic', users: 'users', realm: 'ops' }, scopes: ['admin'] },
              { id: 'hs', path: '/hs/*', upstreams: ['orders'], auth: { type: 'jwt', secret: 'hs', issuer: 'https://issuer.example', audience: 'orders-api', clockSkewSeconds: 5 }, scopes: ['orders:read'] },
              { id: 'rs', path: '/rs/*', upstreams: ['orders'], auth: { type: 'jwt', jwks: 'jwks', algorithms: ['RS256', 'ES256'], audience: 'orders-api' } },
              { id: 'limited', path: '/limited/*', upstreams: ['users'], rateLimit: { rate: 2, burst: 3 } },
              { id: 'limited-key', path: '/lk/*', upstreams: ['users'], auth: { type: 'api-key', keys: 'keys' }, rateLimit: { rate: 2, burst: 2, per: 'key' } },
              { id: 'open-cors', path: '/open/*', upstreams: ['users'], cors: { origins: ['*'] } },
            ],
          },
        },
        { kind: 'server', id: 'users', parent: 'private', ip: '10.0.2.10', port: 8080 },
        { kind: 'server', id: 'orders', parent: 'private', ip: '10.0.2.11', port: 8080 },
      ],
      edges: [{ id: 'user-gw', from: 'user', to: 'gw' }],
    }),
  );
}
