import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Backend } from '../../../core/runtime/services/backend.js';
import { Cache } from '../../../core/runtime/services/cache.js';
import { ForwardProxy } from '../../../core/runtime/services/forward-proxy.js';
import { L4Balancer } from '../../../core/runtime/services/l4-balancer.js';
import { L7Balancer } from '../../../core/runtime/services/l7-balancer.js';
import { ReverseProxy } from '../../../core/runtime/services/reverse-proxy.js';
import type { Endpoint, LabService } from '../../../core/runtime/services/types.js';
import { isListening, request } from './helpers.js';
import { waitUntil } from '../../support/wait.js';

/** Sockets, servers and timers this process holds (what a clean stop must give back). */
function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) if (r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout') out[r] = (out[r] ?? 0) + 1;
  return out;
}

function atMost(now: Record<string, number>, baseline: Record<string, number>): boolean {
  return Object.entries(now).every(([k, v]) => v <= (baseline[k] ?? 0));
}

describe('clean shutdown of every service', () => {
  it('leaves no listening port, socket or timer after stop, with traffic, checks and a tunnel open', async () => {
    const baseline = resources();
    const backend = new Backend({ nodeId: 'web', latency: 5 });
    const web = await backend.start();
    const targets = [{ nodeId: 'web', endpoint: web }];
    // Checks run every 50 ms (their timeout is capped at that) so that stop finds one in
    // flight; a loaded machine may miss a few, which must not take the only target out.
    const healthCheck = { intervalMs: 50, fall: 1000 };
    const services: LabService[] = [
      backend,
      new L7Balancer({ nodeId: 'lb7', targets, healthCheck, sticky: {} }),
      new L4Balancer({ nodeId: 'lb4', targets, healthCheck }),
      new ReverseProxy({ nodeId: 'rp', targets }),
      new Cache({ nodeId: 'cdn', targets }),
      new ForwardProxy({ nodeId: 'fp', labAddress: (host) => (host === 'web.lab' ? { nodeId: 'web', endpoint: web } : undefined) }),
    ];
    const endpoints: Endpoint[] = [web];
    for (const service of services.slice(1)) endpoints.push(await service.start());
    for (const endpoint of endpoints.slice(0, 5)) expect((await request(endpoint, '/static/x')).status).toBe(200);
    // Leave a slow request in flight and a CONNECT tunnel open while stopping.
    backend.setLatency(2000);
    const inFlight = request(endpoints[1] as Endpoint, '/slow').catch(() => undefined);
    const tunnel = net.connect((endpoints[5] as Endpoint).port, '127.0.0.1');
    tunnel.on('error', () => undefined);
    let established = '';
    tunnel.on('data', (d) => (established += d.toString()));
    tunnel.write(`CONNECT web.lab:80 HTTP/1.1\r\nHost: web.lab:80\r\n\r\n`);
    await waitUntil(() => established.includes('200 Connection Established'), 'tunnel');
    await Promise.all(services.map((s) => s.stop()));
    tunnel.destroy();
    await inFlight;
    for (const endpoint of endpoints) expect(await isListening(endpoint)).toBe(false);
    for (const service of services) expect(service.metrics().listening).toBe(false);
    await waitUntil(() => atMost(resources(), baseline), `resources back to ${JSON.stringify(baseline)} (now ${JSON.stringify(resources())})`);
  });
});
