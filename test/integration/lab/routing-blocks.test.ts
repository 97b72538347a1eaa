import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabLogEvent } from '../../../core/runtime/lab/events.js';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { sendOne } from '../../../core/runtime/load/index.js';
import type { Topology } from '../../../core/model/types.js';
import { fixture, handleCounts, realLab } from './helpers.js';

/**
 * The balancer never sends a request to a target whose flow the design blocks, and the
 * lab reports such a target unhealthy with the blocker as the reason. Fixtures:
 * asg-split (an auto-scaling group over two subnets, one without the route back to the
 * balancer's VPC) and igw-private (a balancer whose only path to its server is two
 * internet gateways, which never carry a VPC's private address).
 */

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
  await expect.poll(() => handleCounts().servers).toBe(0);
});

function track(lab: Lab): Lab {
  labs.push(lab);
  return lab;
}

function urlOf(lab: Lab, id: string): string {
  const url = lab.endpoints().find((e) => e.id === id)?.url;
  if (!url) throw new Error(`no endpoint for ${id}`);
  return url;
}

function nodeState(lab: Lab, id: string): { state?: string; reason?: string } {
  const node = lab.status().nodes.find((n) => n.id === id);
  return { ...(node?.state ? { state: node.state } : {}), ...(node?.reason ? { reason: node.reason } : {}) };
}

/** Requests a backend answered (health checks included), from its own counters. */
function served(lab: Lab, id: string): number {
  return lab.metrics().find((m) => m.nodeId === id)?.requests ?? -1;
}

/** The asg-split design without the balancer's health checks, so a backend's counter counts only forwarded requests. */
function withoutHealthChecks(topology: Topology): Topology {
  return { ...topology, nodes: topology.nodes.map((n) => (n.kind === 'load-balancer' ? { ...n, healthCheck: undefined } : n)) };
}

/** Sends one raw request line and headers, resolves the status line of the answer. */
function rawStatusLine(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.slice(0, data.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.write(request);
  });
}

describe('targets the design blocks', () => {
  it('an auto-scaling group over two subnets: the blocked half is reported and never gets a request', async () => {
    const lab = track(realLab(withoutHealthChecks(fixture('asg-split'))));
    const logs: LabLogEvent[] = [];
    lab.on((e) => e.type === 'log' && logs.push(e.event));
    await lab.start();
    for (const id of ['asg#2', 'asg#4']) {
      expect(nodeState(lab, id)).toEqual({ state: 'unhealthy', reason: expect.stringMatching(/^lb: blocked by rt-app-main: peering without a return route: route table "rt-app-main"/) as unknown as string });
    }
    for (const id of ['asg#1', 'asg#3']) expect(nodeState(lab, id)).toEqual({ state: 'healthy' });
    expect(logs.some((l) => l.topic === 'health' && l.message.startsWith('lb sees asg#2 unhealthy (routing): blocked by rt-app-main'))).toBe(true);

    const result = await lab.load({ from: 'user', to: 'lb', requests: 60, concurrency: 4 });
    expect(result.status).toEqual({ '200': 60 });
    expect(result.byServer).toEqual({ 'asg#1': 30, 'asg#3': 30 });
    expect(served(lab, 'asg#2')).toBe(0);
    expect(served(lab, 'asg#4')).toBe(0);
    const upstreams = lab.metrics().find((m) => m.nodeId === 'lb')?.upstreams ?? {};
    expect(upstreams['asg#2']).toMatchObject({ healthy: false, chosen: 0, failures: 0, reason: expect.stringMatching(/^blocked by rt-app-main/) as unknown as string });
    // Stopped and started again, a blocked instance is still reported blocked, not healthy.
    await lab.inject({ nodeId: 'asg#2', action: 'stop' });
    await lab.inject({ nodeId: 'asg#2', action: 'start' });
    expect(nodeState(lab, 'asg#2')).toEqual({ state: 'unhealthy', reason: expect.stringMatching(/^lb: blocked by rt-app-main: /) as unknown as string });
    await lab.inject({ nodeId: 'asg#1', action: 'stop' });
    await lab.inject({ nodeId: 'asg#1', action: 'start' });
    expect(nodeState(lab, 'asg#1')).toEqual({ state: 'healthy' });
  });

  it('with health checks on, a blocked instance is never probed and never joins the rotation', async () => {
    const lab = track(realLab('asg-split'));
    await lab.start();
    const url = urlOf(lab, 'lb');
    // The checks (every 100 ms) reach the reachable instances; a probe is a connection, so the blocked ones get none.
    await expect.poll(() => lab.metrics().find((m) => m.nodeId === 'asg#1')?.requests ?? 0).toBeGreaterThan(2);
    expect(served(lab, 'asg#2')).toBe(0);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const reply = await sendOne({ url });
      expect(reply.status).toBe(200);
      seen.add(reply.servedBy[0] ?? '');
    }
    expect([...seen].sort()).toEqual(['asg#1', 'asg#3']);
    expect(nodeState(lab, 'asg#4').state).toBe('unhealthy');
  });

  it('a route dropped and restored at run time takes targets out of rotation and brings them back', async () => {
    const lab = track(realLab(withoutHealthChecks(fixture('asg-split'))));
    await lab.start();
    const url = urlOf(lab, 'lb');
    await lab.inject({ nodeId: 'rt-app-a', action: 'drop-route', route: '10.0.0.0/16' });
    // Every instance is blocked now: the balancer names the blocker instead of connecting.
    const blocked = await sendOne({ url });
    expect(blocked.status).toBe(502);
    expect(blocked.headers['x-topolab-blocked-by']).toBe('rt-app-a');
    expect(JSON.parse(blocked.body)).toMatchObject({ error: 'blocked-by-routing', from: 'lb', to: 'asg#1', blockedBy: 'rt-app-a' });
    expect(nodeState(lab, 'asg#1')).toMatchObject({ state: 'unhealthy', reason: expect.stringMatching(/^lb: blocked by rt-app-a/) as unknown as string });
    expect(served(lab, 'asg#1')).toBe(0);
    await lab.inject({ nodeId: 'rt-app-a', action: 'restore-route' });
    expect(nodeState(lab, 'asg#1')).toEqual({ state: 'healthy' });
    const result = await lab.load({ to: 'lb', requests: 20, concurrency: 2 });
    expect(result.byServer).toEqual({ 'asg#1': 10, 'asg#3': 10 });
  });

  it('an instance launched by scale-out into the blocked subnet joins, is reported, and gets no traffic', async () => {
    const base = withoutHealthChecks(fixture('asg-split'));
    const design: Topology = {
      ...base,
      nodes: base.nodes.map((n) =>
        n.kind === 'autoscaling-group'
          ? { ...n, min: 1, max: 2, desired: 1, template: { port: 8080, latencyMs: 30 }, targetTracking: { metric: 'in-flight' as const, target: 1, cooldownSeconds: 0 } }
          : n,
      ),
    };
    const lab = track(realLab(design, { metricsIntervalMs: 100 }));
    const logs: LabLogEvent[] = [];
    const stop = new AbortController();
    lab.on((e) => {
      if (e.type !== 'log') return;
      logs.push(e.event);
      if (e.event.topic === 'health' && e.event.message.startsWith('lb sees asg#2 unhealthy (routing)')) stop.abort();
    });
    await lab.start();
    const records: { status: number | 'error'; servedBy?: string }[] = [];
    // Load until the new instance has joined and been reported (bounded at 20 s), then 20 more requests.
    const result = await lab.load({ from: 'user', to: 'lb', durationSeconds: 20, concurrency: 4, signal: stop.signal, onRequest: (r) => records.push(r) });
    expect(logs.some((l) => l.data?.['joined'] === true && l.data['instance'] === 'asg#2')).toBe(true);
    const after = await lab.load({ to: 'lb', requests: 20, concurrency: 4 });
    expect(result.status['200']).toBe(result.requests);
    expect(records.some((r) => r.servedBy === 'asg#2')).toBe(false);
    expect(after.byServer).toEqual({ 'asg#1': 20 });
    // asg#2 answered only the lab's own readiness checks before it joined; the balancer chose it never.
    expect(lab.metrics().find((m) => m.nodeId === 'lb')?.upstreams?.['asg#2']).toMatchObject({ healthy: false, chosen: 0 });
    expect(nodeState(lab, 'asg#2').reason).toMatch(/^lb: blocked by rt-app-main/);
  });

  it('a balancer whose only path is two internet gateways never reaches the server\'s private address', async () => {
    const lab = track(realLab('igw-private'));
    await lab.start();
    const reply = await sendOne({ url: urlOf(lab, 'lb') });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-topolab-blocked-by']).toBe('rt-front');
    expect(JSON.parse(reply.body)).toMatchObject({ blockedBy: 'rt-front', reason: expect.stringMatching(/private address of VPC "back".*an internet gateway carries only public addresses/) as unknown as string });
    expect(served(lab, 'web')).toBe(0);
    expect(nodeState(lab, 'web')).toMatchObject({ state: 'unhealthy', reason: expect.stringMatching(/^lb: blocked by rt-front/) as unknown as string });
  });

  it('no client request steers the balancer to a blocked instance: forged sticky cookies, malformed requests', async () => {
    const base = withoutHealthChecks(fixture('asg-split'));
    const lab = track(realLab({ ...base, nodes: base.nodes.map((n) => (n.kind === 'load-balancer' ? { ...n, sticky: {} } : n)) }));
    await lab.start();
    const url = urlOf(lab, 'lb');
    for (const forged of ['asg#2', 'asg#4', 'asg%232', 'ASG#2', 'asg#2; topolab_sticky=asg#4']) {
      const reply = await sendOne({ url, headers: { cookie: `topolab_sticky=${forged}` } });
      expect(reply.status).toBe(200);
      expect(['asg#1', 'asg#3']).toContain(reply.servedBy[0]);
      // The client is pinned afresh to where it was served, never to the instance it asked for.
      expect(String(reply.headers['set-cookie'])).toMatch(/^topolab_sticky=asg#[13];/);
    }
    for (const request of ['GET / HTTP/1.1\r\nHost: lb\r\nbroken header\r\n\r\n', 'GET / HTTP/1.1\r\nHost: lb\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx', 'GET / HTTP/9.9\r\nHost: lb\r\n\r\n']) {
      expect(await rawStatusLine(url, request)).toMatch(/^HTTP\/1\.1 (400|505) /);
    }
    expect((await sendOne({ url })).status).toBe(200);
    expect(served(lab, 'asg#2')).toBe(0);
    expect(served(lab, 'asg#4')).toBe(0);
  });
});
