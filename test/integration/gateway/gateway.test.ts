import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabLogEvent } from '../../../core/runtime/lab/events.js';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { realLab } from '../lab/helpers.js';
import { API_KEY, gatewayDesign, gatewayFolder, HS_SECRET, OTHER_KEY, sign, type GatewayFolder } from './fixture.js';

const run = promisify(execFile);
let lab: Lab;
let base: string;
let keys: GatewayFolder;
const logs: LabLogEvent[] = [];
const hs = new TextEncoder().encode(HS_SECRET);

beforeAll(async () => {
  keys = await gatewayFolder();
  lab = realLab(gatewayDesign(), { designFolder: keys.folder });
  lab.on((event) => {
    if (event.type === 'log' && event.event.topic === 'gateway') logs.push(event.event);
  });
  await lab.start();
  const url = lab.endpoints().find((e) => e.id === 'gw')?.url;
  if (url === undefined) throw new Error('no gateway endpoint');
  base = url.replace(/\/$/, '');
});

afterAll(async () => {
  await lab?.stop();
  keys?.cleanup();
});

interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

async function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  const response = await fetch(`${base}${path}`, { method, headers });
  const text = await response.text();
  let json: Record<string, unknown>;
  try {
    json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('API gateway routes', () => {
  it('matches by priority then specificity, rewrites the path and edits headers', async () => {
    const me = await get('/users/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('x-topolab-route')).toBe('users-me');
    expect(me.json['node']).toBe('orders');

    const user = await get('/users/42?x=1', { 'x-api-key': API_KEY, 'x-drop': 'secret', 'x-topolab-identity': 'spoofed' });
    expect(user.status).toBe(200);
    expect(user.headers.get('x-topolab-route')).toBe('users');
    expect(user.headers.get('x-gateway')).toBe('topolab');
    expect(user.json['path']).toBe('/v2/users/42?x=1');
    const seen = user.json['headers'] as Record<string, string>;
    expect(seen['x-from-gateway']).toBe('yes');
    expect(seen['x-drop']).toBeUndefined();
    expect(seen['x-topolab-identity']).toBe('alice');
    // The request id reaches the upstream and comes back to the client.
    expect(seen['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.headers.get('x-request-id')).toBe(seen['x-request-id']);

    const chosen = await get('/users/7', { 'x-api-key': API_KEY, 'x-request-id': 'trace-123' });
    expect((chosen.json['headers'] as Record<string, string>)['x-request-id']).toBe('trace-123');
    expect(chosen.headers.get('x-request-id')).toBe('trace-123');

    const stripped = await get('/q/files/a.txt?api_key=' + API_KEY);
    expect(stripped.status).toBe(200);
    expect(stripped.json['path']).toBe('/files/a.txt?api_key=' + API_KEY);

    const fallback = await get('/elsewhere');
    expect(fallback.headers.get('x-topolab-route')).toBe('catch-all');
  });

  it('answers 405 with Allow for a path whose routes take other methods, naming no route', async () => {
    const reply = await get('/users/me', {}, 'DELETE');
    // users-me takes GET, users takes GET and PUT; the catch-all takes every method.
    expect(reply.headers.get('x-topolab-route')).toBe('catch-all');
  });
});

describe('API gateway authentication', () => {
  it('API keys: accepted in the header or query, refused when missing, unknown or repeated', async () => {
    expect((await get('/users/1', { 'x-api-key': API_KEY })).status).toBe(200);
    const missing = await get('/users/1');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('ApiKey');
    expect(missing.headers.get('x-topolab-route')).toBe('users');
    expect((await get('/users/1', { 'x-api-key': 'key-nobody-000000000' })).status).toBe(401);
    expect((await get('/q/x?api_key=' + API_KEY + '&api_key=' + OTHER_KEY)).status).toBe(401);
    expect((await get('/q/x?api_key=wrong-key-00000')).status).toBe(401);
  });

  it('basic: the right password passes, a wrong one is 401, a user without the scope is 403', async () => {
    const ok = await get('/admin/panel', basic('ops', 'pass word'));
    expect(ok.status).toBe(200);
    expect((ok.json['headers'] as Record<string, string>)['x-topolab-identity']).toBe('ops');
    const wrong = await get('/admin/panel', basic('ops', 'nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="ops", charset="UTF-8"');
    const forbidden = await get('/admin/panel', basic('viewer', 'view-only'));
    expect(forbidden.status).toBe(403);
    expect(forbidden.json['error']).toBe('insufficient-scope');
    // RFC 7617: the password is everything after the first colon.
    expect((await get('/admin/panel', basic('colon', 'a:b:c'))).status).toBe(403);
    expect((await get('/admin/panel', basic('colon', 'a'))).status).toBe(401);
  });

  it('JWT HS256: valid passes; expired, not yet valid, wrong audience or issuer, wrong key, alg none, tampered are 401', async () => {
    const good = { iss: 'https://issuer.example', aud: 'orders-api', sub: 'carol', scope: 'orders:read profile' };
    const ok = await get('/hs/orders', bearer(await sign(hs, 'HS256', good)));
    expect(ok.status).toBe(200);
    expect((ok.json['headers'] as Record<string, string>)['x-topolab-identity']).toBe('carol');

    const now = Math.floor(Date.now() / 1000);
    const refused: Array<[string, string]> = [
      ['expired', await sign(hs, 'HS256', { ...good, exp: now - 60 })],
      ['not yet valid', await sign(hs, 'HS256', { ...good, nbf: now + 60 })],
      ['wrong audience', await sign(hs, 'HS256', { ...good, aud: 'other-api' })],
      ['wrong issuer', await sign(hs, 'HS256', { ...good, iss: 'https://evil.example' })],
      ['wrong key', await sign(new TextEncoder().encode('another-secret-that-is-long-enough-000'), 'HS256', good)],
      ['no exp', await sign(hs, 'HS256', { ...good, exp: undefined })],
    ];
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...good, exp: now + 60 })).toString('base64url');
    refused.push(['alg none', `${header}.${payload}.`]);
    const valid = await sign(hs, 'HS256', good);
    const [h, , s] = valid.split('.');
    refused.push(['tampered payload', `${h}.${Buffer.from(JSON.stringify({ ...good, scope: 'admin orders:read', exp: now + 60 })).toString('base64url')}.${s}`]);
    for (const [why, token] of refused) {
      const reply = await get('/hs/orders', bearer(token));
      expect({ why, status: reply.status }).toEqual({ why, status: 401 });
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm="topolab", error="invalid_token"/);
    }
    // Within the clock skew (5 s) an expired token still passes.
    expect((await get('/hs/orders', bearer(await sign(hs, 'HS256', { ...good, exp: now - 2 })))).status).toBe(200);
    const noScope = await get('/hs/orders', bearer(await sign(hs, 'HS256', { ...good, scope: 'profile' })));
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('JWT RS256/ES256 with a JWKS: both algorithms pass; a key outside the JWKS and an HS256 token are refused', async () => {
    const claims = { aud: 'orders-api', sub: 'dave' };
    expect((await get('/rs/x', bearer(await sign(keys.rsa, 'RS256', claims, 'rsa-1')))).status).toBe(200);
    expect((await get('/rs/x', bearer(await sign(keys.ec, 'ES256', claims, 'ec-1')))).status).toBe(200);
    expect((await get('/rs/x', bearer(await sign(keys.stranger, 'RS256', claims, 'rsa-1')))).status).toBe(401);
    expect((await get('/rs/x', bearer(await sign(hs, 'HS256', claims)))).status).toBe(401);
    expect((await get('/rs/x', bearer(await sign(keys.rsa, 'RS256', { ...claims, aud: 'nope' }, 'rsa-1')))).status).toBe(401);
  });
});

describe('API gateway rate limits', () => {
  it('answers 429 with Retry-After and RateLimit-* after the burst, and recovers after the refill', async () => {
    const statuses: number[] = [];
    let last: Reply | undefined;
    for (let i = 0; i < 5; i++) {
      last = await get('/limited/x');
      statuses.push(last.status);
    }
    // Burst 3 at 2/s: the first three pass at once; slow requests could only earn a token per 500 ms.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    const refused = await (async () => {
      for (let i = 0; i < 50; i++) {
        const reply = await get('/limited/x');
        if (reply.status === 429) return reply;
      }
      return undefined;
    })();
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get('retry-after')).toBe('1');
    expect(refused?.headers.get('ratelimit-limit')).toBe('3');
    expect(refused?.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused?.headers.get('ratelimit-policy')).toBe('3;w=2');
    expect(refused?.headers.get('x-topolab-route')).toBe('limited');
    expect(last).toBeDefined();
    // Refill: a token comes back within 500 ms; wait for the condition, not for a fixed time.
    await expect.poll(async () => (await get('/limited/x')).status, { interval: 30, timeout: 3000 }).toBe(200);
  });

  it('keeps one bucket per identity: alice exhausting hers leaves bob his', async () => {
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) refused = (await get('/lk/x', { 'x-api-key': API_KEY })).status === 429;
    expect(refused).toBe(true);
    expect((await get('/lk/x', { 'x-api-key': OTHER_KEY })).status).toBe(200);
  });
});

describe('API gateway CORS', () => {
  it('answers an allowed preflight itself (204) and refuses a foreign origin or header (403)', async () => {
    const preflight = await get('/users/1', { origin: 'https://app.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'X-Api-Key, Content-Type' }, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-api-key');
    expect(preflight.headers.get('access-control-max-age')).toBe('120');
    expect(preflight.headers.get('x-topolab-route')).toBe('users');
    expect(preflight.headers.get('vary')).toBe('Origin');
    const foreign = await get('/users/1', { origin: 'https://evil.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(foreign.status).toBe(403);
    const header = await get('/users/1', { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-secret' }, 'OPTIONS');
    expect(header.status).toBe(403);
  });

  it('adds CORS headers to simple requests from allowed origins (on refusals too), none for others', async () => {
    const ok = await get('/users/1', { origin: 'https://app.example', 'x-api-key': API_KEY });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(ok.headers.get('access-control-expose-headers')).toBe('x-topolab-route');
    const refused = await get('/users/1', { origin: 'https://app.example' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect((await get('/users/1', { origin: 'https://evil.example', 'x-api-key': API_KEY })).headers.get('access-control-allow-origin')).toBeNull();
    expect((await get('/open/x', { origin: 'https://any.example' })).headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('API gateway with curl', () => {
  it('curl sees x-topolab-route on an accepted, a refused and a preflight answer', async () => {
    const head = async (...args: string[]): Promise<string> => (await run('curl', ['-s', '-D', '-', '-o', '/dev/null', '--max-time', '5', ...args])).stdout;
    const accepted = await head('-H', `x-api-key: ${API_KEY}`, `${base}/users/5`);
    expect(accepted).toMatch(/^HTTP\/1\.1 200/);
    expect(accepted).toMatch(/^x-topolab-route: users\r$/m);
    const refused = await head('-u', 'ops:wrong', `${base}/admin/x`);
    expect(refused).toMatch(/^HTTP\/1\.1 401/);
    expect(refused).toMatch(/^www-authenticate: Basic realm="ops"/m);
    expect(refused).toMatch(/^x-topolab-route: admin\r$/m);
    const preflight = await head('-X', 'OPTIONS', '-H', 'Origin: https://app.example', '-H', 'Access-Control-Request-Method: GET', `${base}/users/5`);
    expect(preflight).toMatch(/^HTTP\/1\.1 204/);
    expect(preflight).toMatch(/^x-topolab-route: users\r$/m);
  });
});

/** Sends raw bytes and resolves what came back before the server closed or 2 s passed. */
function raw(request: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let out = '';
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on('data', (chunk) => (out += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

describe('API gateway under hostile input', () => {
  it('answers malformed credentials, huge tokens and bad base64 with 4xx, then serves normal traffic', async () => {
    const hostile = [
      'Authorization: Bearer',
      'Authorization: Bearer a.b',
      'Authorization: Bearer !!!.???.***',
      `Authorization: Bearer ${'A'.repeat(7000)}.${'B'.repeat(500)}.C`,
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.%%%%.xx',
      `Authorization: Bearer ${Buffer.from('{"alg":"HS256"').toString('base64url')}.${Buffer.from('not json').toString('base64url')}.sig`,
      'Authorization: Basic',
      'Authorization: Basic ####',
      'Authorization: Basic QUJD',
      'Authorization: Basic ' + Buffer.from('no-colon').toString('base64'),
      'Authorization: Digest username="x"',
      'Authorization: Bearer x\r\nAuthorization: Bearer y',
    ];
    for (const line of hostile) {
      for (const path of ['/hs/x', '/rs/x', '/admin/x']) {
        const reply = await raw(`GET ${path} HTTP/1.1\r\nHost: gw\r\n${line}\r\nConnection: close\r\n\r\n`);
        expect({ line: line.slice(0, 40), path, status: reply.slice(0, 12) }).toMatchObject({ status: expect.stringMatching(/^HTTP\/1\.1 4\d\d/) });
        expect(reply).toMatch(/x-topolab-route: (hs|rs|admin)\r\n/);
      }
    }
    // A header far beyond the front end's limit: 431 from the front end, the proxy stays up.
    const huge = await raw(`GET /hs/x HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${'x'.repeat(70_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    expect((await get('/users/1', { 'x-api-key': API_KEY })).status).toBe(200);
    expect((await get('/hs/orders', bearer(await sign(hs, 'HS256', { iss: 'https://issuer.example', aud: 'orders-api', sub: 'carol', scope: 'orders:read' })))).status).toBe(200);
  });
});

describe('API gateway observability', () => {
  it('logs each request with route, identity, status and latency, and counts per route in the metrics', async () => {
    const before = logs.length;
    await get('/users/9', { 'x-api-key': API_KEY, 'x-request-id': 'log-me' });
    await expect.poll(() => logs.slice(before).find((l) => l.data?.['requestId'] === 'log-me')).toBeDefined();
    const line = logs.slice(before).find((l) => l.data?.['requestId'] === 'log-me')!;
    expect(line.data).toMatchObject({ route: 'users', identity: 'alice', status: 200, method: 'GET', path: '/users/9' });
    expect(typeof line.data?.['latencyMs']).toBe('number');
    const metrics = lab.metrics().find((m) => m.nodeId === 'gw');
    expect(metrics?.routes?.['users']).toBeGreaterThan(0);
    expect(metrics?.routes?.['catch-all']).toBeGreaterThan(0);
  });
});
