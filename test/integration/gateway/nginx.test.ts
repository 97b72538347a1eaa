import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { get, startTool, STREAM_MODULE,  type Reply, type Running } from '../export/tools.js';
import { gatewayBeside, type GatewayBeside } from './beside.js';
import { API_KEY, HS_SECRET, OTHER_KEY, sign } from './fixture.js';

/**
 * The gateway's nginx export side by side with the lab: the same requests to both, the same
 * status and `x-topolab-route` (and upstream path where a route rewrites), the rate limit's
 * 429 and recovery on both. The JWT route is the documented exception: nginx fails closed.
 */
let sides: GatewayBeside;
let labPort: number;
let nginx: Running;
let nginxPort: number;
let report: ReturnType<typeof renderNginx>['report'];

beforeAll(async () => {
  sides = await gatewayBeside('topolab-gw-nginx-');
  ({ labPort, toolPort: nginxPort } = sides);
  const rendered = renderNginx(sides.design, { addressMap: sides.addressMap, runDir: sides.runDir, nginxModules: [STREAM_MODULE] });
  report = rendered.report;
  // The converted secrets the report asks for.
  const secrets = join(sides.runDir, 'gateway-secrets', 'gw');
  mkdirSync(secrets, { recursive: true });
  const keyMap = `"${API_KEY}" "alice";\n"${OTHER_KEY}" "bob";\n`;
  for (const route of ['users', 'query-key', 'limited-key']) writeFileSync(join(secrets, `${route}.keys.map`), keyMap);
  writeFileSync(join(secrets, 'admin.htpasswd'), 'ops:{PLAIN}pass word\nviewer:{PLAIN}view-only\n');
  writeFileSync(join(secrets, 'admin.scoped.map'), '"ops" 1;\n');
  nginx = await startTool('nginx', sides.runDir, rendered.files[0]?.content ?? '', nginxPort);
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await sides?.stop();
});

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Status, route and (for 200s) the upstream path, which the lab's and the test backends both echo. */
function summary(reply: Reply): { status: number; route: unknown; path?: unknown } {
  const path = reply.status === 200 ? (JSON.parse(reply.body) as { path?: string }).path : undefined;
  return { status: reply.status, route: reply.headers['x-topolab-route'], ...(path !== undefined ? { path } : {}) };
}

describe('the gateway exported to nginx, side by side with the lab', () => {
  it('routes, rewrites, authenticates and names the route as the lab does', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['/users/me', {}],
      ['/users/42?x=1', { 'x-api-key': API_KEY }],
      ['/users/42', {}],
      ['/users/42', { 'x-api-key': 'key-nobody-000000000' }],
      [`/q/files/a.txt?api_key=${API_KEY}`, {}],
      ['/q/files/a.txt', {}],
      ['/admin/panel', { authorization: basic('ops', 'pass word') }],
      ['/admin/panel', { authorization: basic('ops', 'wrong') }],
      ['/admin/panel', { authorization: basic('viewer', 'view-only') }],
      ['/elsewhere/deep/path', {}],
      ['/', {}],
    ];
    for (const [path, headers] of cases) {
      const fromLab = summary(await get(labPort, path, { headers }));
      const fromNginx = summary(await get(nginxPort, path, { headers }));
      expect({ path, ...fromNginx }).toEqual({ path, ...fromLab });
    }
  });

  it('JWT routes fail closed in nginx (401), as the report says', async () => {
    const token = await sign(new TextEncoder().encode(HS_SECRET), 'HS256', { iss: 'https://issuer.example', aud: 'orders-api', sub: 'c', scope: 'orders:read' });
    expect((await get(labPort, '/hs/x', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const fromNginx = await get(nginxPort, '/hs/x', { headers: { authorization: `Bearer ${token}` } });
    expect(fromNginx.status).toBe(401);
    expect(fromNginx.headers['x-topolab-route']).toBe('hs');
    expect(report.notExpressible.some((e) => e.feature === 'gateway-jwt')).toBe(true);
    expect(report.approximated.some((e) => e.feature === 'gateway-rate-limit' && /RateLimit-\*/.test(e.detail))).toBe(true);
  });

  it('both answer 429 with Retry-After after the burst and recover after the refill', async () => {
    for (const port of [labPort, nginxPort]) {
      const first = [await get(port, '/limited/a'), await get(port, '/limited/a'), await get(port, '/limited/a')].map((r) => r.status);
      expect({ port, first }).toEqual({ port, first: [200, 200, 200] });
      let refused: Reply | undefined;
      for (let i = 0; i < 50 && refused === undefined; i++) {
        const reply = await get(port, '/limited/a');
        if (reply.status === 429) refused = reply;
      }
      expect(refused?.headers['retry-after']).toBe('1');
      expect(refused?.headers['x-topolab-route']).toBe('limited');
      await expect.poll(async () => (await get(port, '/limited/a')).status, { interval: 30, timeout: 3000 }).toBe(200);
    }
  });

  it('both answer an allowed CORS preflight with 204 and the origin', async () => {
    const headers = { origin: 'https://app.example', 'access-control-request-method': 'PUT' };
    for (const port of [labPort, nginxPort]) {
      const reply = await new Promise<Reply>((resolve, reject) => {
        import('node:http').then(({ request }) => {
          const req = request({ host: '127.0.0.1', port, path: '/users/1', method: 'OPTIONS', agent: false, headers }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
          });
          req.on('error', reject);
          req.end();
        }, reject);
      });
      expect({ port, status: reply.status, origin: reply.headers['access-control-allow-origin'], route: reply.headers['x-topolab-route'] }).toEqual({ port, status: 204, origin: 'https://app.example', route: 'users' });
    }
  });
});
