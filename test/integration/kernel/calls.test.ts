import { afterEach, describe, expect, it } from 'vitest';
import { KernelLab } from '../../../core/runtime/kernel/kernel-lab.js';
import { design, kernelLabOrSkip } from './helpers.js';

/**
 * Servers that call servers in the kernel lab (fixture "tiers"): each call goes from the
 * caller's namespace to the callee's designed address on the edge's port, so the kernel,
 * not the routing gate, routes it; a call the design blocks (a dropped peering route, a
 * port the callee does not listen on) fails as the real network fails it.
 */

const supported = await kernelLabOrSkip('kernel calls tests');
const labs: KernelLab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
});

async function started(topology = design('test/fixtures/lab/tiers.topolab.json')): Promise<KernelLab> {
  const lab = new KernelLab(topology, { metricsIntervalMs: 100 });
  labs.push(lab);
  await lab.start();
  return lab;
}

describe.skipIf(!supported)('servers that call servers, in the kernel lab', () => {
  it('web servers call the API and the database at their designed addresses; a call across the peering stops when its route is dropped', { timeout: 90_000 }, async () => {
    const lab = await started();
    const reply = await lab.request({ from: 'user', to: 'lb', path: '/orders' });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-topolab-calls']).toMatch(/^api;edge=web[12]-api;result=200;dur=[\d.]+, db;edge=web[12]-db;result=connected;dur=[\d.]+$/);
    const reporter = await lab.request({ to: 'reporter' });
    expect(reporter.status).toBe(200);
    expect(reporter.headers['x-topolab-calls']).toMatch(/^db;edge=reporter-db;result=200;dur=[\d.]+, audit;edge=reporter-audit;result=200;/);
    // The kernel drops the packets: the call times out (reporter's callTimeoutMs, 2 s: 504), where the loopback lab names the table (502).
    await lab.inject({ nodeId: 'rt-private', action: 'drop-route', route: '10.1.0.0/16' });
    const dropped = await lab.request({ to: 'reporter' });
    expect(dropped.status).toBe(504);
    expect(dropped.headers['x-topolab-calls']).toMatch(/audit;edge=reporter-audit;result=timeout;/);
    await lab.inject({ nodeId: 'rt-private', action: 'restore-route', route: '10.1.0.0/16' });
    expect((await lab.request({ to: 'reporter' })).status).toBe(200);
  });

  it('a call on a port the callee does not listen on is refused by the callee\'s kernel', { timeout: 60_000 }, async () => {
    const topology = design('test/fixtures/lab/tiers.topolab.json');
    topology.edges = topology.edges.map((e) => (e.id === 'web1-db' ? { ...e, port: 6000 } : e));
    const lab = await started(topology);
    const reply = await lab.request({ to: 'web1' });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-topolab-calls']).toMatch(/db;edge=web1-db;result=refused;/);
  });
});
