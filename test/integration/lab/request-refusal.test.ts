import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import type { Topology } from '../../../core/model/types.js';
import { example } from '../../support/examples.js';
import { fixture, handleCounts, realLab } from './helpers.js';

/**
 * `lab.request` reports a flow the design refuses as the design's refusal (`blocked`: who
 * could not reach whom, the node that blocks it, trace's code and reason), over real
 * sockets: a first leg refused before anything is sent, and a leg a lab node refuses to
 * open (its 502). Anything else (a plain failure) carries no `blocked`.
 */

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
  await expect.poll(() => handleCounts().servers).toBe(0);
});

async function started(design: string | Topology): Promise<Lab> {
  const lab = realLab(design, { metricsIntervalMs: 100 });
  labs.push(lab);
  await lab.start();
  return lab;
}

describe('a request the design refuses, as lab.request reports it', () => {
  it("a route dropped at run time refuses the client's first leg: nothing sent, the blocker and its reason named; restored, it is served", async () => {
    const lab = await started(example('nginx-two-backends'));
    expect((await lab.request({ from: 'browser', to: 'nginx' })).blocked).toBeUndefined();
    await lab.inject({ nodeId: 'rt-public', action: 'drop-route', route: '0.0.0.0/0' });
    const before = lab.metrics().find((m) => m.nodeId === 'nginx')?.requests ?? 0;
    const refused = await lab.request({ from: 'browser', to: 'nginx' });
    expect(refused).toMatchObject({ status: 0, servedBy: [], blocked: { sent: false, from: 'browser', to: 'nginx', blockedBy: 'public' } });
    expect(refused.blocked?.code).not.toBe('untraceable');
    expect(refused.blocked?.reason).toContain('rt-public');
    expect(refused.error).toMatch(/^browser cannot reach nginx in the design: blocked by public \(/);
    // Nothing reached the balancer.
    expect(lab.metrics().find((m) => m.nodeId === 'nginx')?.requests ?? 0).toBe(before);
    await lab.inject({ nodeId: 'rt-public', action: 'restore-route', route: '0.0.0.0/0' });
    const served = await lab.request({ from: 'browser', to: 'nginx' });
    expect(served.status).toBe(200);
    expect(served.blocked).toBeUndefined();
  });

  it("a balancer that may not reach its targets answers 502: the refusal is read from it (sent, the balancer's leg, the route table)", async () => {
    const design = fixture('asg-split');
    for (const node of design.nodes) if (node.kind === 'load-balancer') delete node.healthCheck;
    const lab = await started(design);
    await lab.inject({ nodeId: 'rt-app-a', action: 'drop-route', route: '10.0.0.0/16' });
    const refused = await lab.request({ to: 'lb' });
    expect(refused.status).toBe(502);
    expect(refused.blocked).toMatchObject({ sent: true, from: 'lb', to: expect.stringMatching(/^asg#\d$/) as unknown as string, blockedBy: 'rt-app-a' });
    expect(refused.blocked?.reason.length).toBeGreaterThan(10);
  });

  it("a server's call on a port its target does not listen on: the refusal names the callee and trace's reason", async () => {
    const design = structuredClone(fixture('tiers'));
    design.edges = design.edges.map((e) => (e.id === 'web1-db' ? { ...e, port: 6000 } : e));
    const lab = await started(design);
    const refused = await lab.request({ to: 'web1' });
    expect(refused.status).toBe(502);
    expect(refused.blocked).toMatchObject({ sent: true, from: 'web1', to: 'db', blockedBy: 'db' });
    expect(refused.blocked?.reason).toContain('listens on port 5432, not 6000');
  });

  it('a failure that is no refusal (a stopped server) carries no blocked', async () => {
    const lab = await started(example('nginx-two-backends'));
    await lab.inject({ nodeId: 'backend-1', action: 'stop' });
    await lab.inject({ nodeId: 'backend-2', action: 'stop' });
    const failed = await lab.request({ from: 'browser', to: 'nginx' });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.blocked).toBeUndefined();
  });
});
