import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { handleCounts, realLab } from './helpers.js';

let lab: Lab | undefined;

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  await expect.poll(() => handleCounts().servers).toBe(0);
});

describe('every service kind wired by the lab', () => {
  it('runs balancers, a rule-based gateway, a cache and a forward proxy from one design', async () => {
    lab = realLab('all-services');
    await lab.start();
    expect(Object.fromEntries(lab.status().nodes.map((n) => [n.id, n.role]))).toMatchObject({
      lb: 'l7-balancer',
      lb4: 'l4-balancer',
      gw: 'reverse-proxy',
      cache: 'cache',
      fwd: 'forward-proxy',
    });

    // L4: connections alternate between the targets; every request is answered.
    const l4 = await lab.load({ from: 'user', to: 'lb4', requests: 40, concurrency: 4 });
    expect(l4.status).toEqual({ '200': 40 });
    expect(Object.keys(l4.byServer).sort()).toEqual(['web1', 'web2']);

    // Gateway: /api goes to web1 by rule, the rest to its edge target web2.
    expect((await lab.request({ from: 'user', to: 'gw', path: '/api/users' })).servedBy[0]).toBe('web1');
    expect((await lab.request({ from: 'user', to: 'gw', path: '/home' })).servedBy[0]).toBe('web2');

    // Cache in front of the balancer: a miss, then a hit for the same static path.
    const first = await lab.request({ from: 'user', to: 'cache', path: '/static/logo.png' });
    const second = await lab.request({ from: 'user', to: 'cache', path: '/static/logo.png' });
    expect([first.status, first.headers['x-cache']]).toEqual([200, 'MISS']);
    expect([second.status, second.headers['x-cache']]).toEqual([200, 'HIT']);
    await lab.inject({ nodeId: 'cache', action: 'purge' });
    expect((await lab.request({ from: 'user', to: 'cache', path: '/static/logo.png' })).headers['x-cache']).toBe('MISS');

    // Forward proxy: a client inside the VPC reaches web2 by its designed address.
    const viaProxy = await lab.request({ from: 'dev', via: 'fwd', to: 'web2', path: '/through-proxy' });
    expect(viaProxy.status).toBe(200);
    expect(viaProxy.servedBy[0]).toBe('web2');
    const proxied = await lab.load({ from: 'dev', via: 'fwd', to: 'web1', requests: 20, concurrency: 2 });
    expect(proxied.byServer).toEqual({ web1: 20 });
  });
});
