import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import type { LabEvent, LabLogEvent } from '../../../core/runtime/lab/events.js';
import { distinctSourcesSupported, loopbackSources, sendOne } from '../../../core/runtime/load/index.js';
import { accepts, handleCounts, realLab } from './helpers.js';

const labs: Lab[] = [];
const blockers: Server[] = [];

function track(lab: Lab): Lab {
  labs.push(lab);
  return lab;
}

afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
  await Promise.all(blockers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  // Node lists a closed listener until the loop's close phase: let every test start from zero.
  await expect.poll(() => handleCounts().servers).toBe(0);
});

function urlOf(lab: Lab, id: string): string {
  const url = lab.endpoints().find((e) => e.id === id)?.url;
  if (!url) throw new Error(`no endpoint for ${id}`);
  return url;
}

describe('the live lab on real sockets', () => {
  it('splits round-robin load evenly between the balancer\'s servers', async () => {
    const lab = track(realLab('balancers'));
    await lab.start();
    const result = await lab.load({ from: 'user', to: 'lb', requests: 200, concurrency: 8 });
    expect(result.status).toEqual({ '200': 200 });
    expect(result.byServer).toEqual({ web1: 100, web2: 100 });
    expect(lab.status().nodes.every((n) => n.state === 'healthy')).toBe(true);
  });

  if (!distinctSourcesSupported()) console.log('skipped: distinct 127.x source addresses need Linux, where all of 127.0.0.0/8 is on the loopback interface');
  it.runIf(distinctSourcesSupported())('keeps each source address on one server with source-IP hashing (Linux)', async () => {
    const lab = track(realLab('balancers'));
    await lab.start();
    const url = urlOf(lab, 'lb-hash');
    const servedTo = new Map<string, Set<string>>();
    for (const source of loopbackSources(12)) {
      const seen = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const reply = await sendOne({ url, localAddress: source });
        expect(reply.status).toBe(200);
        seen.add(reply.servedBy[0] ?? '');
      }
      servedTo.set(source, seen);
    }
    // Sticky: every source always lands on the same server; spread: 12 sources use more than one.
    expect([...servedTo.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...servedTo.values()].flatMap((s) => [...s])).size).toBeGreaterThan(1);
  });

  it('starts all-or-nothing: a taken pinned port fails the start, names the node and leaves nothing listening', async () => {
    const baseline = handleCounts();
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const lab = track(realLab('balancers', { ports: { 'lb-hash': taken } }));
    const events: LabEvent[] = [];
    lab.on((e) => events.push(e));
    await expect(lab.start()).rejects.toThrow(new RegExp(`node "lb-hash" could not start \\(pinned port ${taken}\\)`));
    const started = events.flatMap((e) => (e.type === 'status' && e.event.node?.url ? [e.event.node.url] : []));
    expect(new Set(started).size).toBeGreaterThanOrEqual(4); // web1..3 and lb were up before lb-hash failed
    for (const url of new Set(started)) expect(await accepts(url)).toBe(false);
    expect(lab.status().state).toBe('stopped');
    await new Promise((resolve) => blocker.close(resolve));
    blockers.length = 0;
    await expect.poll(() => handleCounts().servers).toBe(baseline.servers);
  });

  it('stops without leaving a port, socket or timer behind', async () => {
    const baseline = handleCounts();
    const lab = realLab('balancers');
    await lab.start();
    await lab.load({ to: 'lb', requests: 50, concurrency: 5 });
    const urls = lab.endpoints().map((e) => e.url);
    expect(urls).toHaveLength(5);
    await lab.stop();
    for (const url of urls) expect(await accepts(url)).toBe(false);
    await expect.poll(() => handleCounts()).toEqual(baseline);
  });

  it('answers 502 naming the route table when a route is dropped at run time, and recovers on restore', async () => {
    const lab = track(realLab('peered'));
    await lab.start();
    const url = urlOf(lab, 'gw');
    expect((await sendOne({ url })).status).toBe(200);
    await lab.inject({ nodeId: 'rt-core', action: 'drop-route', route: '10.0.0.0/16' });
    const blocked = await sendOne({ url });
    expect(blocked.status).toBe(502);
    expect(blocked.headers['x-topolab-blocked-by']).toBe('rt-core');
    expect(JSON.parse(blocked.body)).toMatchObject({ error: 'blocked-by-routing', from: 'gw', to: 'api', blockedBy: 'rt-core' });
    await lab.inject({ nodeId: 'rt-core', action: 'restore-route' });
    expect((await sendOne({ url })).status).toBe(200);
  });

  it('injects latency, errors and a stopped server on the running services', async () => {
    const lab = track(realLab('balancers'));
    await lab.start();
    const web1 = urlOf(lab, 'web1');
    await lab.inject({ nodeId: 'web1', action: 'error-rate', value: 1 });
    expect((await sendOne({ url: web1 })).status).toBe(500);
    await lab.inject({ nodeId: 'web1', action: 'error-rate', value: 0 });
    await lab.inject({ nodeId: 'web1', action: 'latency', value: 120 });
    expect((await sendOne({ url: web1 })).timing.totalMs).toBeGreaterThanOrEqual(110);
    await lab.inject({ nodeId: 'web1', action: 'stop' });
    expect(await accepts(web1)).toBe(false);
    await lab.inject({ nodeId: 'web1', action: 'start' });
    // A restarted node keeps its loopback port: the designed-address map stays valid.
    expect(urlOf(lab, 'web1')).toBe(web1);
    expect(await accepts(web1)).toBe(true);
  });

  it('fails over when a server is stopped during load: after the check window only the healthy one answers', async () => {
    const lab = track(realLab('failover'));
    const logs: LabLogEvent[] = [];
    lab.on((e) => e.type === 'log' && logs.push(e.event));
    await lab.start();
    const records: { sentAtMs: number; status: number | 'error'; servedBy?: string }[] = [];
    const run = lab.load({ from: 'user', to: 'lb', durationSeconds: 2, concurrency: 4, onRequest: (r) => records.push(r) });
    await expect.poll(() => records.length).toBeGreaterThan(20);
    const stoppedAt = records.at(-1)?.sentAtMs ?? 0;
    await lab.inject({ nodeId: 'web2', action: 'stop' });
    const result = await run;
    // Two failed checks 100 ms apart (plus one interval of slack) take web2 out of rotation.
    const settled = records.filter((r) => r.sentAtMs > stoppedAt + 400);
    expect(settled.length).toBeGreaterThan(20);
    expect(settled.every((r) => r.status === 200 && r.servedBy === 'web1')).toBe(true);
    expect(result.byServer['web2']).toBeGreaterThan(0);
    expect(logs.some((l) => l.topic === 'health' && l.message.startsWith('lb sees web2 unhealthy'))).toBe(true);
    expect(lab.status().nodes.find((n) => n.id === 'web2')?.state).toBe('stopped');
  });

  it('emits metrics per node a few times a second', async () => {
    const lab = track(realLab('balancers', { metricsIntervalMs: 100 }));
    const ticks: number[] = [];
    lab.on((e) => {
      if (e.type === 'metrics') ticks.push(e.event.nodes.find((n) => n.nodeId === 'lb')?.requests ?? -1);
    });
    await lab.start();
    await lab.load({ to: 'lb', requests: 30, concurrency: 3 });
    await expect.poll(() => ticks.at(-1), { timeout: 2000 }).toBe(30);
  });

  it('scales an auto-scaling group out under load; new instances get traffic only after their health checks', async () => {
    const lab = track(realLab('asg', { metricsIntervalMs: 100 }));
    const logs: LabLogEvent[] = [];
    const poolAtLaunch = new Map<string, string[]>();
    const poolAtJoin = new Map<string, string[]>();
    const launchedUrls = new Map<string, string>();
    const lbPool = (): string[] => Object.keys(lab.metrics().find((m) => m.nodeId === 'lb')?.upstreams ?? {});
    lab.on((e) => {
      if (e.type === 'log') {
        logs.push(e.event);
        if (e.event.data?.['joined'] === true) poolAtJoin.set(String(e.event.data['instance']), lbPool());
      }
      if (e.type === 'status' && e.event.node?.group && e.event.node.state === 'starting' && e.event.node.url && !poolAtLaunch.has(e.event.node.id)) {
        poolAtLaunch.set(e.event.node.id, lbPool());
        launchedUrls.set(e.event.node.id, e.event.node.url);
      }
    });
    await lab.start();
    expect(lab.status().groups[0]).toMatchObject({ desired: 1, instances: ['asg#1'] });
    const result = await lab.load({ from: 'user', to: 'lb', durationSeconds: 3, concurrency: 12 });
    expect(result.status['200']).toBe(result.requests);
    const scaleOut = logs.find((l) => l.topic === 'scale' && l.data?.['direction'] === 'out');
    expect(scaleOut?.message).toMatch(/^asg scales out: in-flight [\d.]+ per instance \(target 2\)/);
    // Scaled out to max (3); read from the events, since scale-in may begin as soon as the load ends.
    expect(Math.max(...logs.filter((l) => l.data?.['direction'] === 'out').map((l) => Number(l.data?.['to'])))).toBe(3);
    for (const id of ['asg#2', 'asg#3']) {
      expect(poolAtLaunch.get(id)).not.toContain(id); // listening but not yet in the pool
      expect(poolAtJoin.get(id)).toContain(id); // joined after passing its checks
      expect(logs.some((l) => l.message.startsWith(`${id} passed`) && l.message.includes('health check'))).toBe(true);
      expect(result.byServer[id]).toBeGreaterThan(0);
    }
    // Without load the group scales back in, one instance at a time, down to min.
    const urls = ['asg#2', 'asg#3'].map((id) => lab.endpoints().find((e) => e.id === id)?.url ?? launchedUrls.get(id) ?? '');
    await expect.poll(() => lab.status().groups[0]?.instances, { timeout: 15_000 }).toEqual(['asg#1']);
    // Every scale-out came before the first scale-in: the group never gave back capacity while
    // the load lasted (no oscillation), then stepped down one instance at a time.
    const steps = logs.filter((l) => l.topic === 'scale' && l.data?.['direction'] !== undefined).map((l) => `${l.data?.['direction']} ${l.data?.['from']}->${l.data?.['to']}`);
    const firstIn = steps.findIndex((step) => step.startsWith('in '));
    expect(steps.slice(0, firstIn).every((step) => step.startsWith('out '))).toBe(true);
    expect(steps.slice(firstIn)).toEqual(['in 3->2', 'in 2->1']);
    expect(urls.every((url) => url.startsWith('http://127.0.0.1:'))).toBe(true);
    for (const url of urls) expect(await accepts(url)).toBe(false);
  });

  it('reports a crashed user command and keeps the rest of the lab running', async () => {
    const lab = track(realLab('crash'));
    const logs: LabLogEvent[] = [];
    lab.on((e) => e.type === 'log' && logs.push(e.event));
    await lab.start();
    const reply = await sendOne({ url: urlOf(lab, 'app') });
    expect(reply.body).toBe('bye');
    await expect.poll(() => lab.status().nodes.find((n) => n.id === 'app')?.state).toBe('crashed');
    expect(lab.status().nodes.find((n) => n.id === 'app')?.reason).toBe('the command exited (exit code 3)');
    expect(logs.find((l) => l.topic === 'crash')?.message).toMatch(/^app crashed \(exit code 3\)/);
    expect(lab.status().state).toBe('running');
    expect((await sendOne({ url: urlOf(lab, 'web') })).status).toBe(200);
    await lab.inject({ nodeId: 'app', action: 'start' });
    expect(lab.status().nodes.find((n) => n.id === 'app')?.state).toBe('healthy');
    expect(handleCounts().children).toBe(1);
    await lab.stop();
    await expect.poll(() => handleCounts()).toEqual({ servers: 0, sockets: 0, timers: 0, children: 0 });
  });
});
