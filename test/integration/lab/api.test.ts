import { describe, expect, it } from 'vitest';
import { ApiError, type EventName } from '../../../core/api/contract/index.js';
import { accepts, fixture, servicesClosedAfterEach } from './helpers.js';

const service = servicesClosedAfterEach();

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('lab.* over the service contract', () => {
  it('starts, reports, answers requests, injects faults, loads, emits events, and stops with the service', async () => {
    const api = service();
    const seen = new Map<EventName, number>();
    for (const name of ['lab.status', 'lab.metrics', 'lab.log'] as const) api.subscribe(name, () => seen.set(name, (seen.get(name) ?? 0) + 1));

    const { status, endpoints } = await api.call('lab.start', { topology: fixture('balancers') });
    expect(status.state).toBe('running');
    expect(endpoints.map((e) => e.id).sort()).toEqual(['lb', 'lb-hash', 'web1', 'web2', 'web3']);
    expect((await api.call('lab.status', {})).nodes.find((n) => n.id === 'lb')).toMatchObject({ role: 'l7-balancer', state: 'healthy', published: true, address: '10.0.1.10:80' });

    const reply = await api.call('lab.request', { from: 'user', to: 'lb', path: '/inspect' });
    expect(reply.status).toBe(200);
    expect(['web1', 'web2']).toContain(reply.servedBy[0]);
    expect(JSON.parse(reply.body)).toMatchObject({ path: '/inspect' });

    const injected = await api.call('lab.inject', { nodeId: 'web2', action: 'error-rate', value: 1 });
    expect(injected.message).toBe('error rate of web2 set to 100%');
    const summary = await api.call('lab.load', { to: 'lb', requests: 40, concurrency: 4 });
    expect(summary.status).toEqual({ '200': 20, '500': 20 });

    await expect.poll(() => seen.get('lab.metrics') ?? 0).toBeGreaterThan(0);
    expect(seen.get('lab.status')).toBeGreaterThan(5);
    expect(seen.get('lab.log')).toBeGreaterThan(0);

    await api.close();
    for (const endpoint of endpoints) expect(await accepts(endpoint.url)).toBe(false);
  });

  it('maps refusals onto the API error codes', async () => {
    const api = service();
    expect((await apiError(api.call('lab.load', { to: 'lb' }))).code).toBe('conflict');
    expect((await api.call('lab.status', {})).state).toBe('idle');
    expect((await apiError(api.call('lab.load', { to: 'lb', requests: 5, durationSeconds: 1 }))).code).toBe('bad-input');
    const topology = fixture('cannot-run');
    const refused = await apiError(api.call('lab.start', { topology }));
    expect(refused.code).toBe('failed');
    expect(refused.issues?.some((i) => i.path === 'lb, private')).toBe(true);

    await api.call('lab.start', { topology: fixture('balancers') });
    expect((await apiError(api.call('lab.start', { topology: fixture('balancers') }))).code).toBe('conflict');
    expect((await apiError(api.call('lab.inject', { nodeId: 'ghost', action: 'stop' }))).code).toBe('not-found');
    // A load run whose first leg the design refuses: the message, and the refusal field by field (what the Traffic tab shows).
    const blocked = await apiError(api.call('lab.load', { from: 'user', to: 'web1', requests: 1 }));
    expect(blocked.message).toMatch(/blocked by private/);
    expect(blocked.refusal).toMatchObject({ from: 'user', to: 'web1', blockedBy: 'private' });
    expect(blocked.refusal?.reason).toBe(blocked.message.slice(blocked.message.indexOf('): ') + 3));
    expect(blocked.toBody().refusal).toEqual(blocked.refusal);
    expect(await api.call('lab.stop', {})).toEqual({ stopped: true });
    expect(await api.call('lab.stop', {})).toEqual({ stopped: false });
  });
});
