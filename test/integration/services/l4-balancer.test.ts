import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { L4Balancer } from '../../../core/runtime/services/l4-balancer.js';
import type { Endpoint, ServiceEvent } from '../../../core/runtime/services/types.js';
import { isListening, servedBy, startBackends, stopAll } from './helpers.js';
import { waitUntil } from '../../support/wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A TCP echo server that can be told to hang up on everyone. */
async function echoServer(): Promise<{ endpoint: Endpoint; sockets: Set<net.Socket>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    endpoint: { host: '127.0.0.1', port },
    sockets,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('L4 balancer', () => {
  it('balances HTTP connections round robin over TCP and pipes both ways', async () => {
    const { backends, targets } = await startBackends(2);
    cleanup.push(() => stopAll(backends));
    const lb = new L4Balancer({ nodeId: 'nlb', targets });
    cleanup.push(() => lb.stop());
    const endpoint = await lb.start();
    expect(await servedBy(endpoint, 10)).toEqual({ b1: 5, b2: 5 });
    const m = lb.metrics();
    expect(m.requests).toBe(10);
    expect(m.bytesIn).toBeGreaterThan(0);
    expect(m.upstreams?.['b1']?.chosen).toBe(5);
  });

  it('echoes a large payload intact with backpressure', async () => {
    const echo = await echoServer();
    cleanup.push(() => echo.close());
    const lb = new L4Balancer({ nodeId: 'nlb', targets: [{ nodeId: 'echo', endpoint: echo.endpoint }] });
    cleanup.push(() => lb.stop());
    const endpoint = await lb.start();
    const payload = Buffer.alloc(8 * 1024 * 1024, 7);
    const received = await new Promise<number>((resolve, reject) => {
      const socket = net.connect(endpoint.port, endpoint.host);
      let got = 0;
      socket.on('data', (c: Buffer) => {
        got += c.length;
        if (got >= payload.length) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on('error', reject);
      socket.write(payload);
    });
    expect(received).toBe(payload.length);
  });

  it('closes the client when the upstream fails, and the upstream when the client goes', async () => {
    const echo = await echoServer();
    cleanup.push(() => echo.close());
    const lb = new L4Balancer({ nodeId: 'nlb', targets: [{ nodeId: 'echo', endpoint: echo.endpoint }] });
    cleanup.push(() => lb.stop());
    const endpoint = await lb.start();
    const client = net.connect(endpoint.port, endpoint.host);
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.on('error', () => undefined);
    client.resume();
    client.write('hi');
    await waitUntil(() => echo.sockets.size === 1, 'upstream connection');
    for (const s of echo.sockets) s.destroy();
    await closed;
    const second = net.connect(endpoint.port, endpoint.host);
    second.write('hi');
    await waitUntil(() => echo.sockets.size === 1, 'second upstream connection');
    second.destroy();
    await waitUntil(() => echo.sockets.size === 0, 'upstream side closed after the client left');
    await waitUntil(() => lb.metrics().activeConnections === 0, 'client side gone');
  });

  it('retries a refused connect on another target and takes dead targets out by TCP checks', async () => {
    const { backends, targets } = await startBackends(2);
    cleanup.push(() => stopAll(backends));
    const events: ServiceEvent[] = [];
    const lb = new L4Balancer({ nodeId: 'nlb', targets, healthCheck: { intervalMs: 100, fall: 1, rise: 1 }, onEvent: (e) => events.push(e) });
    cleanup.push(() => lb.stop());
    const endpoint = await lb.start();
    await backends[0]?.stop();
    expect(await servedBy(endpoint, 6)).toEqual({ b2: 6 });
    await waitUntil(() => events.some((e) => e.type === 'health' && e.source === 'active' && e.target === 'b1' && !e.healthy), 'b1 down by TCP check');
    await backends[0]?.start();
    await waitUntil(() => lb.metrics().upstreams?.['b1']?.healthy === true, 'b1 back');
    expect(await servedBy(endpoint, 4)).toEqual({ b1: 2, b2: 2 });
  });

  it('refuses the connection when the gate blocks, and leaves no port after stop', async () => {
    const { backends, targets } = await startBackends(1);
    cleanup.push(() => stopAll(backends));
    const lb = new L4Balancer({ nodeId: 'nlb', targets, gate: () => ({ allowed: false, blockedBy: 'nacl', reason: 'blocked', code: 'network-acl' }) });
    const endpoint = await lb.start();
    const closedWithoutData = await new Promise<boolean>((resolve) => {
      const s = net.connect(endpoint.port, endpoint.host);
      let data = false;
      s.on('data', () => (data = true));
      s.on('close', () => resolve(!data));
      s.on('error', () => undefined);
      s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    expect(closedWithoutData).toBe(true);
    await lb.stop();
    expect(await isListening(endpoint)).toBe(false);
  });
});
