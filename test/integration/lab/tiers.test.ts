import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { runScenario } from '../../../core/runtime/scenario/run.js';
import type { Scenario, Topology } from '../../../core/model/types.js';
import { example } from '../../support/examples.js';
import { validateTopology } from '../../../core/validate/index.js';
import { fixture, handleCounts, realLab } from './helpers.js';

/**
 * Servers that call servers, in a running lab over real sockets (fixture "tiers"): web
 * servers behind a balancer call an API and a database, every instance of a group calls
 * the database, a server calls across a peering, two servers call each other. A stopped
 * database shows at the front door, in the metrics and in load's status codes; calls obey
 * the design's routing on their edge's port.
 */

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
  await expect.poll(() => handleCounts().servers).toBe(0);
  await expect.poll(() => handleCounts().sockets).toBe(0);
});

async function started(design: string | Topology = 'tiers'): Promise<Lab> {
  const lab = realLab(design, { metricsIntervalMs: 100 });
  labs.push(lab);
  await lab.start();
  return lab;
}

function body(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

describe('servers that call servers, in the lab', () => {
  it('serves through the balancer, each web server calling the API (which calls the database) and the database', async () => {
    const lab = await started();
    const reply = await lab.request({ from: 'user', to: 'lb', path: '/orders' });
    expect(reply.status).toBe(200);
    const servedBy = reply.headers['x-served-by'] as string;
    expect(['web1', 'web2']).toContain(servedBy);
    expect(reply.headers['x-topolab-calls']).toMatch(/^api;edge=web[12]-api;result=200;dur=[\d.]+, db;edge=web[12]-db;result=connected;dur=[\d.]+$/);
    // The API made its own call to the database (TCP on 5432).
    const api = await lab.request({ to: 'api' });
    expect(api.headers['x-topolab-calls']).toMatch(/^db;edge=api-db;result=connected;/);
  });

  it('a stopped database shows as 502s at the front door naming it, in the metrics and in load\'s status codes; started again, 200s', async () => {
    const lab = await started();
    await lab.inject({ nodeId: 'db', action: 'stop' });
    const reply = await lab.request({ from: 'user', to: 'lb' });
    expect(reply.status).toBe(502);
    // The web server's first dependency, the API, failed because of the database; its TCP call failed too.
    expect(reply.headers['x-topolab-failed-dependency']).toBe('api');
    expect(body(reply)).toMatchObject({ error: 'dependency-failed', dependency: 'api' });
    expect(String(body(reply)['message'])).toMatch(/dependency api \(edge web[12]-api\) failed: api answered 502 \(its dependency db failed\)$/);
    expect(reply.headers['x-topolab-calls']).toMatch(/^api;edge=web[12]-api;result=502;dur=[\d.]+, db;edge=web[12]-db;result=refused;/);
    const load = await lab.load({ from: 'user', to: 'lb', requests: 40, concurrency: 4 });
    expect(load.status).toEqual({ '502': 40 });
    // The balancer keeps both web servers: their /health does not call the database.
    expect(lab.status().nodes.find((n) => n.id === 'web1')?.state).toBe('healthy');
    const metrics = lab.metrics();
    const web502 = ['web1', 'web2'].reduce((sum, id) => sum + (metrics.find((m) => m.nodeId === id)?.statusCodes['502'] ?? 0), 0);
    expect(web502).toBe(41);
    expect(metrics.find((m) => m.nodeId === 'api')?.statusCodes['502']).toBe(41);
    expect(metrics.find((m) => m.nodeId === 'lb')?.statusCodes['502']).toBe(41);
    await lab.inject({ nodeId: 'db', action: 'start' });
    expect((await lab.load({ from: 'user', to: 'lb', requests: 20, concurrency: 4 })).status).toEqual({ '200': 20 });
  });

  it('every auto-scaling instance calls the database as itself', async () => {
    const lab = await started();
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const reply = await lab.request({ from: 'user', to: 'lb-workers' });
      expect(reply.status).toBe(200);
      expect(reply.headers['x-topolab-calls']).toMatch(/^db;edge=workers-db;result=connected;/);
      seen.add(reply.headers['x-served-by'] as string);
    }
    expect([...seen].sort()).toEqual(['workers#1', 'workers#2']);
    await lab.inject({ nodeId: 'db', action: 'stop' });
    const reply = await lab.request({ from: 'user', to: 'lb-workers' });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-topolab-failed-dependency']).toBe('db');
  });

  it('calls obey the routing gate: a dropped peering route blocks the call (502 naming the table), restoring it lets it through', async () => {
    const lab = await started();
    const ok = await lab.request({ to: 'reporter' });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-topolab-calls']).toMatch(/^db;edge=reporter-db;result=200;dur=[\d.]+, audit;edge=reporter-audit;result=200;/);
    await lab.inject({ nodeId: 'rt-private', action: 'drop-route', route: '10.1.0.0/16' });
    const blocked = await lab.request({ to: 'reporter' });
    expect(blocked.status).toBe(502);
    expect(blocked.headers['x-topolab-blocked-by']).toBe('rt-private');
    expect(body(blocked)).toMatchObject({ error: 'dependency-blocked', dependency: 'audit', blockedBy: 'rt-private' });
    expect(lab.metrics().find((m) => m.nodeId === 'audit')?.requests).toBe(1);
    await lab.inject({ nodeId: 'rt-private', action: 'restore-route', route: '10.1.0.0/16' });
    expect((await lab.request({ to: 'reporter' })).status).toBe(200);
  });

  it('a call on a port the target does not listen on is blocked by the target, as validate says', async () => {
    const design = structuredClone(fixture('tiers'));
    design.edges = design.edges.map((e) => (e.id === 'web1-db' ? { ...e, port: 6000 } : e));
    const diagnostic = validateTopology(design).find((d) => d.code === 'connection-blocked');
    expect(diagnostic?.message).toContain('listens on port 5432, not 6000');
    // The lab still runs the design: the blocked call is its 502.
    const lab = await started(design);
    const reply = await lab.request({ to: 'web1' });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-topolab-blocked-by']).toBe('db');
    expect(body(reply)).toMatchObject({ dependency: 'db', edge: 'web1-db' });
    expect(String(body(reply)['message'])).toContain('listens on port 5432, not 6000');
  });

  it("a scenario sees the database outage of the three-tier example: 5xx while the database is down, none before or after", async () => {
    const lab = await started(example('three-tier'));
    const scenario: Scenario = {
      name: 'short outage',
      traffic: { from: 'visitor', to: 'shop-lb', rps: 50, concurrency: 4, durationSeconds: 4 },
      events: [
        { atSeconds: 1, action: 'stop', node: 'db' },
        { atSeconds: 2.5, action: 'start', node: 'db' },
      ],
      assertions: [
        { type: 'no-status', status: '5xx', before: 0.8 },
        { type: 'no-status', status: '502', whileDown: 'db', after: 1.2 },
        { type: 'success-rate', min: 1, after: 3 },
      ],
    };
    const result = await runScenario(lab, scenario);
    expect(result.events.every((e) => e.ok)).toBe(true);
    expect(result.assertions.map((a) => a.passed)).toEqual([true, false, true]);
    expect(result.assertions[1]?.observed).toMatch(/^\d+ of \d+ requests got 502/);
    expect(result.load.status['502']).toBeGreaterThan(10);
  });

  it('a call cycle ends at once with 508, after one request each way', async () => {
    const lab = await started();
    const reply = await lab.request({ to: 'ping' });
    expect(reply.status).toBe(508);
    expect(body(reply)).toMatchObject({ error: 'loop-detected', node: 'ping', dependency: 'pong' });
    const requests = (id: string): number => lab.metrics().find((m) => m.nodeId === id)?.requests ?? -1;
    expect(requests('ping')).toBe(2);
    expect(requests('pong')).toBe(1);
  });
});
