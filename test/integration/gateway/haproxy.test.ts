import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { get, haproxyCheck, startTool,  type Reply, type Running } from '../export/tools.js';
import { gatewayBeside, type GatewayBeside } from './beside.js';
import { API_KEY, OTHER_KEY } from './fixture.js';

/**
 * The gateway's HAProxy export side by side with the lab: routing (with the lab's method
 * fall-through), rewrites, API keys, x-topolab-route and the stick-table rate limit. Basic,
 * JWT and CORS are the documented exceptions (fail closed / not exported).
 */
let sides: GatewayBeside;
let labPort: number;
let haproxy: Running;
let haproxyPort: number;
let report: ReturnType<typeof renderHaproxy>['report'];

beforeAll(async () => {
  sides = await gatewayBeside('topolab-gw-haproxy-');
  ({ labPort, toolPort: haproxyPort } = sides);
  const rendered = renderHaproxy(sides.design, { addressMap: sides.addressMap, runDir: sides.runDir });
  report = rendered.report;
  const secrets = join(sides.runDir, 'gateway-secrets', 'gw');
  mkdirSync(secrets, { recursive: true });
  for (const route of ['users', 'query-key', 'limited-key']) writeFileSync(join(secrets, `${route}.keys.map`), `${API_KEY} alice\n${OTHER_KEY} bob\n`);
  const config = rendered.files[0]?.content ?? '';
  const check = await haproxyCheck(sides.runDir, config);
  expect({ code: check.code, output: check.output }).toEqual({ code: 0, output: '' });
  haproxy = await startTool('haproxy', sides.runDir, config, haproxyPort);
}, 30_000);

afterAll(async () => {
  await haproxy?.stop();
  await sides?.stop();
});

function summary(reply: Reply): { status: number; route: unknown; path?: unknown } {
  const path = reply.status === 200 ? (JSON.parse(reply.body) as { path?: string }).path : undefined;
  return { status: reply.status, route: reply.headers['x-topolab-route'], ...(path !== undefined ? { path } : {}) };
}

describe('the gateway exported to HAProxy, side by side with the lab', () => {
  it('routes, falls through on methods, rewrites, checks API keys and names the route as the lab does', async () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['GET', '/users/me', {}],
      ['GET', '/users/42?x=1', { 'x-api-key': API_KEY }],
      ['GET', '/users/42', {}],
      ['GET', '/users/42', { 'x-api-key': 'key-nobody-000000000' }],
      ['GET', `/q/files/a.txt?api_key=${API_KEY}`, {}],
      ['GET', '/q/files/a.txt', {}],
      ['GET', '/elsewhere/deep/path', {}],
      ['GET', '/', {}],
    ];
    for (const [, path, headers] of cases) {
      const fromLab = summary(await get(labPort, path, { headers }));
      const fromHaproxy = summary(await get(haproxyPort, path, { headers }));
      expect({ path, ...fromHaproxy }).toEqual({ path, ...fromLab });
    }
    const fromHaproxy = await get(haproxyPort, '/hs/x');
    expect([fromHaproxy.status, fromHaproxy.headers['x-topolab-route']]).toEqual([401, 'hs']);
    expect(report.notExpressible.filter((e) => e.feature === 'gateway-jwt' || e.feature === 'gateway-basic').length).toBe(3);
  });

  it('both answer 429 with Retry-After after the burst and recover', async () => {
    for (const port of [labPort, haproxyPort]) {
      const first = [await get(port, '/limited/a'), await get(port, '/limited/a'), await get(port, '/limited/a')].map((r) => r.status);
      expect({ port, first }).toEqual({ port, first: [200, 200, 200] });
      let refused: Reply | undefined;
      for (let i = 0; i < 50 && refused === undefined; i++) {
        const reply = await get(port, '/limited/a');
        if (reply.status === 429) refused = reply;
      }
      // The lab's bucket gives a token back within 1/rate; HAProxy's window counts refused
      // requests too, so it asks for the whole window (burst/rate, 1.5 s here, rounded up).
      const retryAfter = port === labPort ? '1' : '2';
      expect(refused?.headers['retry-after']).toBe(retryAfter);
      expect(refused?.headers['x-topolab-route']).toBe('limited');
      // A client honouring Retry-After: one try per announced interval.
      await expect.poll(async () => (await get(port, '/limited/a')).status, { interval: Number(retryAfter) * 1000, timeout: 10_000 }).toBe(200);
    }
  });
});
