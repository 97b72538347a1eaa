import { describe, expect, it } from 'vitest';
import { ApiError, LATENCY_BUCKET_BOUNDS_MS, type LabProgressEvent } from '../../../core/api/contract/index.js';
import { latencyBucketOf } from '../../../core/api/handlers/lab-progress.js';
import { example } from '../../support/examples.js';
import { fixture, servicesClosedAfterEach } from './helpers.js';

const service = servicesClosedAfterEach();

describe('lab.load progress, lab.cancel, lab.request target and lab.configure (what the canvas needs)', () => {
  it('pushes lab.progress for a named run: cumulative counts, latency windows, a histogram, and a final done event', async () => {
    const api = service();
    const events: LabProgressEvent[] = [];
    api.subscribe('lab.progress', (event) => events.push(event));
    await api.call('lab.start', { topology: fixture('balancers') });
    const result = await api.call('lab.load', { to: 'lb', requests: 60, concurrency: 4, runId: 'run-1' });
    expect(result.requests).toBe(60);
    const last = events.at(-1);
    expect(last).toMatchObject({ runId: 'run-1', done: true, completed: 60, planned: { requests: 60 } });
    expect(last?.status).toEqual(result.status);
    expect(last?.byServer).toEqual(result.byServer);
    expect(last?.histogram).toHaveLength(LATENCY_BUCKET_BOUNDS_MS.length + 1);
    expect(last?.histogram?.reduce((a, b) => a + b, 0)).toBe(60);
    // Every request lands in exactly one window.
    expect(events.reduce((sum, e) => sum + (e.window?.requests ?? 0), 0)).toBe(60);
    expect(events.filter((e) => e.done)).toHaveLength(1);
  });

  it('lab.cancel ends a named run at once; the call answers what was measured with aborted: true', async () => {
    const api = service();
    await api.call('lab.start', { topology: fixture('balancers') });
    const seen: LabProgressEvent[] = [];
    api.subscribe('lab.progress', (event) => seen.push(event));
    const started = Date.now();
    const run = api.call('lab.load', { to: 'lb', durationSeconds: 30, concurrency: 2, runId: 'long' });
    await expect.poll(() => seen.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(await api.call('lab.cancel', { runId: 'other' })).toEqual({ cancelled: 0 });
    expect(await api.call('lab.cancel', { runId: 'long' })).toEqual({ cancelled: 1 });
    const result = await run;
    expect(result.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(seen.at(-1)).toMatchObject({ runId: 'long', done: true, planned: { durationSeconds: 30 } });
    expect(await api.call('lab.cancel', {})).toEqual({ cancelled: 0 });
  });

  it('refuses a second run with the same id while the first goes on', async () => {
    const api = service();
    await api.call('lab.start', { topology: fixture('balancers') });
    const first = api.call('lab.load', { to: 'lb', durationSeconds: 10, concurrency: 1, runId: 'same' });
    await expect(api.call('lab.load', { to: 'lb', requests: 1, runId: 'same' })).rejects.toMatchObject({ code: 'conflict' });
    await api.call('lab.cancel', { runId: 'same' });
    expect((await first).aborted).toBe(true);
  });

  it('asks a forward proxy for any absolute URL with target: a host outside the allow list is refused with 403', async () => {
    const api = service();
    await api.call('lab.start', { topology: example('forward-proxy') });
    const denied = await api.call('lab.request', { from: 'ci-runner', to: 'egress-proxy', via: 'egress-proxy', target: 'http://evil.example.net/steal' });
    expect(denied.status).toBe(403);
    const inside = await api.call('lab.request', { from: 'ci-runner', to: 'artifacts', via: 'egress-proxy' });
    expect(inside.status).toBe(200);
    expect(inside.servedBy[0]).toBe('artifacts');
    await expect(api.call('lab.request', { to: 'artifacts', target: 'http://x.example/' })).rejects.toBeInstanceOf(ApiError);
    await expect(api.call('lab.request', { to: 'artifacts', via: 'artifacts', target: 'http://x.example/' })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('lab.configure applies weights, the algorithm and the health check to the running balancer', async () => {
    const api = service();
    await api.call('lab.start', { topology: example('nginx-two-backends') });
    expect((await api.call('lab.configure', { nodeId: 'nginx', algorithm: 'weighted-round-robin' })).message).toBe('algorithm of nginx set to weighted-round-robin');
    expect((await api.call('lab.configure', { nodeId: 'backend-1', weight: 3 })).message).toBe('weight of backend-1 set to 3');
    const weighted = await api.call('lab.load', { to: 'nginx', requests: 80, concurrency: 1 });
    expect(weighted.byServer).toEqual({ 'backend-1': 60, 'backend-2': 20 });

    // A check every backend fails (they answer 200, the check wants 500): the pool empties and the balancer answers 503; turning checks off restores it.
    await api.call('lab.configure', { nodeId: 'nginx', healthCheck: { type: 'http', path: '/health', intervalMs: 50, rise: 1, fall: 1, expectStatus: '500' } });
    await expect.poll(async () => (await api.call('lab.request', { to: 'nginx' })).status, { timeout: 5000 }).toBe(503);
    expect((await api.call('lab.configure', { nodeId: 'nginx', healthCheck: null })).message).toBe('health checks of nginx turned off');
    expect((await api.call('lab.request', { to: 'nginx' })).status).toBe(200);

    await expect(api.call('lab.configure', { nodeId: 'nginx', weight: 2 })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(api.call('lab.configure', { nodeId: 'backend-1', algorithm: 'round-robin' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(api.call('lab.configure', { nodeId: 'ghost', weight: 1 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.call('lab.configure', { nodeId: 'nginx' })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('puts each latency in the first bucket whose bound holds it', () => {
    expect(latencyBucketOf(0)).toBe(0);
    expect(latencyBucketOf(1)).toBe(0);
    expect(latencyBucketOf(1.01)).toBe(1);
    expect(latencyBucketOf(5000)).toBe(LATENCY_BUCKET_BOUNDS_MS.length - 1);
    expect(latencyBucketOf(5001)).toBe(LATENCY_BUCKET_BOUNDS_MS.length);
  });
});
