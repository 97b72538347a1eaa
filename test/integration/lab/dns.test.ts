import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent, LabLogEvent, LabMetricsEvent } from '../../../core/runtime/lab/events.js';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { waitUntil } from '../../support/wait.js';
import { ask, dataOf } from '../dns/client.js';
import { realLab } from './helpers.js';

const labs: Lab[] = [];
afterEach(async () => {
  await Promise.all(labs.splice(0).map((lab) => lab.stop()));
});

async function started(): Promise<{ lab: Lab; logs: LabLogEvent[]; metrics: LabMetricsEvent[] }> {
  const lab = realLab('dns', { metricsIntervalMs: 50 });
  labs.push(lab);
  const logs: LabLogEvent[] = [];
  const metrics: LabMetricsEvent[] = [];
  lab.on((event: LabEvent) => {
    if (event.type === 'log') logs.push(event.event);
    if (event.type === 'metrics') metrics.push(event.event);
  });
  await lab.start();
  return { lab, logs, metrics };
}

describe('the lab DNS', () => {
  it('answers dig-style queries on the port the status names, and REFUSED outside the design', async () => {
    const { lab } = await started();
    const dns = lab.status().dns;
    expect(dns).toMatchObject({ host: '127.0.0.1', zones: ['shop.example', 'internal.shop'] });
    expect(dataOf(await ask(dns!.port, 'www.shop.example'))).toEqual(['10.0.1.10', '10.0.1.11']);
    expect((await ask(dns!.port, 'example.com')).rcode).toBe('REFUSED');
    // The private zone answers only clients of its VPC.
    expect((await ask(dns!.port, 'db.internal.shop')).rcode).toBe('REFUSED');
    expect(dataOf(await ask(dns!.port, 'db.internal.shop', 'A', { subnet: '10.0.1.5' }))).toEqual(['10.0.1.99']);
  });

  it('sends load to a name: the cached first answer takes every request until its TTL runs out, then the next answer does', async () => {
    const { lab, metrics } = await started();
    const first = await lab.load({ from: 'user', to: 'www.shop.example', requests: 20, concurrency: 2 });
    expect(first.status).toEqual({ '200': 20 });
    expect(first.byAddress).toEqual({ '10.0.1.10': 20 });
    expect(first.byServer).toEqual({ web1: 20 });
    // TTL 1 s: once it ran out the client asks again, and the server has rotated the answer.
    await waitUntil(async () => (await lab.resolve('www.shop.example', 'user')).addresses[0] === '10.0.1.11', 'the cached answer to expire', 5000, 100);
    const second = await lab.load({ from: 'user', to: 'www.shop.example', requests: 20, concurrency: 2 });
    expect(second.byAddress).toEqual({ '10.0.1.11': 20 });
    // Two queries of www, each answered with both values (rotated). The zone's query total is no
    // measure of them: a cache of the design resolves app.shop.example in the same zone.
    const www = (): Record<string, number> | undefined => metrics.at(-1)?.dns?.zones.find((z) => z.zoneId === 'shop')?.answers['www.shop.example A'];
    await waitUntil(() => (www()?.['10.0.1.11'] ?? 0) >= 2, 'the zone metrics to count both queries of www');
    expect(www()).toEqual({ '10.0.1.10': 2, '10.0.1.11': 2 });
  });

  it('a stopped server still gets the requests of cached answers until the TTL runs out; the health check then moves the name', async () => {
    const { lab, logs } = await started();
    expect((await lab.load({ from: 'user', to: 'app.shop.example', requests: 5, concurrency: 1 })).byAddress).toEqual({ '10.0.1.10': 5 });
    await lab.inject({ nodeId: 'web1', action: 'stop' });
    await waitUntil(() => logs.some((l) => l.topic === 'dns' && l.data?.['value'] === '10.0.1.10' && l.data['healthy'] === false), 'the health check to mark web1 unhealthy');
    const log = logs.find((l) => l.topic === 'dns');
    expect(log?.message).toMatch(/10\.0\.1\.10 \(web1\) of app\.shop\.example is unhealthy .*; app\.shop\.example A now answers 10\.0\.1\.11/);
    // The DNS answer changed, but this client's resolver still holds the old one (TTL 4 s).
    const cached = await lab.resolve('app.shop.example', 'user');
    expect(cached).toMatchObject({ fromCache: true, addresses: ['10.0.1.10'] });
    const during = await lab.load({ from: 'user', to: 'app.shop.example', requests: 5, concurrency: 1 });
    expect(during.status).toEqual({ error: 5 });
    expect(during.errors).toEqual({ ECONNREFUSED: 5 });
    await waitUntil(async () => (await lab.resolve('app.shop.example', 'user')).addresses[0] === '10.0.1.11', 'the cached answer to expire', 10_000, 100);
    const after = await lab.load({ from: 'user', to: 'app.shop.example', requests: 5, concurrency: 1 });
    expect(after.byAddress).toEqual({ '10.0.1.11': 5 });
  });

  it('spreads as a browser does: a refused first address falls over to the next one', async () => {
    const { lab } = await started();
    expect((await lab.load({ from: 'user', to: 'www.shop.example', requests: 3, concurrency: 1 })).byAddress).toEqual({ '10.0.1.10': 3 });
    await lab.inject({ nodeId: 'web1', action: 'stop' });
    const result = await lab.load({ from: 'user', to: 'www.shop.example', requests: 10, concurrency: 1 });
    expect(result.status).toEqual({ '200': 10 });
    expect(result.byAddress).toEqual({ '10.0.1.11': 10 });
  });

  it('multivalue leaves a stopped server out of new answers', async () => {
    const { lab, logs } = await started();
    await lab.inject({ nodeId: 'web3', action: 'stop' });
    await waitUntil(() => logs.some((l) => l.topic === 'dns' && l.data?.['value'] === '10.0.1.12'), 'web3 to be seen unhealthy');
    expect((await lab.resolve('multi.shop.example')).addresses.sort()).toEqual(['10.0.1.10', '10.0.1.11']);
  });

  it('the forward proxy resolves names through the lab DNS, never the system resolver', async () => {
    const { lab } = await started();
    const ok = await lab.request({ to: 'shop-api.shop.example', via: 'egress' });
    expect(ok.status).toBe(200);
    expect(['web1', 'web2']).toContain(ok.servedBy[0]);
    const outside = await lab.request({ to: 'web1', via: 'egress', target: 'http://localhost/' });
    expect(outside.status).toBe(403);
    // NXDOMAIN in the lab's DNS: not a lab destination, so the default policy refuses it.
    const unknown = await lab.request({ to: 'nope.shop.example', via: 'egress' });
    expect(unknown.status).toBe(403);
    expect(unknown.body).toMatch(/nope\.shop\.example is outside the lab/);
  });
});

describe('a reverse proxy whose rule names a DNS name', () => {
  it('forwards to what the name resolves to, and follows the answer when it changes after the TTL', async () => {
    const { lab, logs } = await started();
    const before = await lab.load({ to: 'gw', requests: 10, concurrency: 1 });
    expect(before.byServer).toEqual({ web1: 10 });
    await lab.inject({ nodeId: 'web1', action: 'stop' });
    await waitUntil(() => logs.some((l) => l.topic === 'dns' && l.data?.['value'] === '10.0.1.10' && l.data['healthy'] === false), 'the health check to mark web1 unhealthy');
    // The proxy holds the old answer until its TTL (4 s) runs out, then sends to the secondary.
    await waitUntil(async () => (await lab.request({ to: 'gw' })).servedBy[0] === 'web2', 'the proxy to re-resolve app.shop.example', 10_000, 200);
    const after = await lab.load({ to: 'gw', requests: 10, concurrency: 1 });
    expect(after.byServer).toEqual({ web2: 10 });
  });
});

describe('a cache whose origin is a DNS name', () => {
  it('fetches from what the name answers, and follows the answer when it changes after the TTL', async () => {
    const { lab, logs } = await started();
    // A new path each time: every request is a miss, so the origin answers it.
    let n = 0;
    const origin = async (): Promise<string | undefined> => (await lab.request({ to: 'edge-cache', path: `/page-${++n}` })).servedBy[0];
    expect(await origin()).toBe('web1');
    await lab.inject({ nodeId: 'web1', action: 'stop' });
    await waitUntil(() => logs.some((l) => l.topic === 'dns' && l.data?.['value'] === '10.0.1.10' && l.data['healthy'] === false), 'the health check to mark web1 unhealthy');
    // The cache holds the old answer until its TTL (4 s) runs out, then fetches from the secondary.
    await waitUntil(async () => (await origin()) === 'web2', 'the cache to re-resolve app.shop.example', 10_000, 200);
    expect(await origin()).toBe('web2');
  });
});
