import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ForwardProxy } from '../../../core/runtime/services/forward-proxy.js';
import type { Endpoint, LabResolver } from '../../../core/runtime/services/types.js';
import { isListening, raw, startBackends, statusOf, stopAll } from './helpers.js';
import { waitUntil } from '../../support/wait.js';

const run = promisify(execFile);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** curl through the proxy; returns status, headers and body. `-p` tunnels with CONNECT. */
async function curl(proxy: Endpoint, url: string, extra: string[] = []): Promise<{ status: number; output: string }> {
  const { stdout } = await run('curl', ['-s', '-i', '--max-time', '10', '-x', `http://${proxy.host}:${proxy.port}`, ...extra, url], { timeout: 15_000 }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
  );
  // With -p the tunnel's own "200 Connection Established" comes first.
  const responses = stdout.split(/(?=^HTTP\/1\.[01] \d{3})/m);
  const last = responses[responses.length - 1] ?? '';
  return { status: statusOf(last.replace('HTTP/1.0', 'HTTP/1.1')), output: stdout };
}

async function lab(): Promise<{ resolver: LabResolver; web: Endpoint }> {
  const { backends, targets } = await startBackends(1, 'web');
  cleanup.push(() => stopAll(backends));
  const web = targets[0]?.endpoint as Endpoint;
  const names = new Map([
    ['10.0.1.10:80', 'web1'],
    ['api.internal:80', 'web1'],
    ['10.0.1.10:443', 'web1'],
  ]);
  const resolver: LabResolver = (host, port) => (names.has(`${host}:${port}`) ? { nodeId: 'web1', endpoint: web } : undefined);
  return { resolver, web };
}

describe('forward proxy (with real curl -x)', () => {
  it('forwards absolute-form requests to lab destinations by designed address or name', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    const byAddress = await curl(endpoint, 'http://10.0.1.10/hello');
    expect(byAddress.status).toBe(200);
    expect(byAddress.output).toContain('"node":"web1"');
    expect(byAddress.output).toContain('"path":"/hello"');
    expect(byAddress.output.toLowerCase()).toContain('via: 1.1 squid');
    const byName = await curl(endpoint, 'http://API.Internal./x');
    expect(byName.status).toBe(200);
    expect(proxy.metrics().statusCodes['200']).toBe(2);
  });

  it('tunnels CONNECT to lab destinations (curl -p) and closes both sides when one fails', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    const tunneled = await curl(endpoint, 'http://10.0.1.10:443/through-tunnel', ['-p']);
    expect(tunneled.output).toMatch(/^HTTP\/1\.[01] 200 Connection Established/);
    expect(tunneled.status).toBe(200);
    expect(tunneled.output).toContain('"path":"/through-tunnel"');

    // An echo upstream that we can kill: the client side must close too.
    const sockets = new Set<net.Socket>();
    const echo = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => echo.close(() => r())));
    const echoPort = (echo.address() as net.AddressInfo).port;
    proxy.setPolicy({ allow: ['127.0.0.1'] });
    const client = net.connect(endpoint.port, endpoint.host);
    client.on('error', () => undefined);
    let received = '';
    client.on('data', (d) => (received += d.toString()));
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.write(`CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: 127.0.0.1:${echoPort}\r\n\r\nping`);
    await waitUntil(() => received.includes('ping'), 'echo through the tunnel');
    expect(received).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nping/);
    for (const s of sockets) s.destroy();
    await closed;
    await waitUntil(() => proxy.metrics().activeConnections === 0, 'proxy sockets closed');
  });

  it('refuses destinations outside the lab by default, and link-local / metadata addresses always', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, allow: ['*.example.test', '169.254.0.0/16', 'fe80::/10', '127.0.0.0/8'] });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    proxy.setPolicy({});
    const outside = await curl(endpoint, 'http://127.0.0.1:9/');
    expect(outside.status).toBe(403);
    expect(outside.output).toContain('outside the lab');
    // Even an allow list naming them cannot open the metadata addresses.
    proxy.setPolicy({ allow: ['169.254.0.0/16', 'fe80::/10'] });
    expect((await curl(endpoint, 'http://169.254.169.254/latest/meta-data/')).status).toBe(403);
    expect((await curl(endpoint, 'http://[fe80::1]/')).status).toBe(403);
    expect(statusOf(await raw(endpoint, 'CONNECT 169.254.169.254:443 HTTP/1.1\r\nHost: 169.254.169.254:443\r\n\r\n', 500))).toBe(403);
    expect(statusOf(await raw(endpoint, 'CONNECT [::ffff:169.254.169.254]:80 HTTP/1.1\r\nHost: x\r\n\r\n', 500))).toBe(403);
  });

  it('applies deny before allow with names (case and trailing dot ignored), wildcards and CIDRs', async () => {
    const { resolver, web } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, allow: ['127.0.0.0/8'], deny: ['API.internal.'] });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    expect((await curl(endpoint, `http://127.0.0.1:${web.port}/direct`)).status).toBe(200);
    const denied = await curl(endpoint, 'http://api.internal/x');
    expect(denied.status).toBe(403);
    expect(denied.output).toContain('deny list');
    // Not on the allow list (even though it is in the lab): refused.
    expect((await curl(endpoint, 'http://10.0.1.10/x')).status).toBe(403);
    proxy.setPolicy({ allow: ['*.internal', '10.0.0.0/16'], deny: ['127.0.0.0/8'] });
    expect((await curl(endpoint, 'http://api.internal/x')).status).toBe(200);
    expect((await curl(endpoint, 'http://10.0.1.10/x')).status).toBe(200);
    expect((await curl(endpoint, `http://127.0.0.1:${web.port}/direct`)).status).toBe(403);
  });

  it('answers 400 to origin-form requests, 502 with the blocker when routing refuses, and leaves no port after stop', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, gate: () => ({ allowed: false, blockedBy: 'nat-1', reason: 'no NAT route' }) });
    const endpoint = await proxy.start();
    expect(statusOf(await raw(endpoint, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 500))).toBe(400);
    const blocked = await curl(endpoint, 'http://10.0.1.10/x');
    expect(blocked.status).toBe(502);
    expect(blocked.output.toLowerCase()).toContain('x-topolab-blocked-by: nat-1');
    const tunnel = await raw(endpoint, 'CONNECT 10.0.1.10:443 HTTP/1.1\r\nHost: x\r\n\r\n', 500);
    expect(statusOf(tunnel)).toBe(502);
    expect(tunnel).toContain('x-topolab-blocked-by: nat-1');
    await proxy.stop();
    expect(await isListening(endpoint)).toBe(false);
  });
});
