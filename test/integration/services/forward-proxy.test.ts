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

async function lab(extra: Record<string, Endpoint> = {}): Promise<{ resolver: LabResolver; web: Endpoint }> {
  const { backends, targets } = await startBackends(1, 'web');
  cleanup.push(() => stopAll(backends));
  const web = targets[0]?.endpoint as Endpoint;
  const names = new Map<string, Endpoint>([
    ['10.0.1.10:80', web],
    ['api.internal:80', web],
    ['10.0.1.10:443', web],
    ...Object.entries(extra),
  ]);
  const resolver: LabResolver = (host, port) => {
    const endpoint = names.get(`${host}:${port}`);
    return endpoint === undefined ? undefined : { nodeId: endpoint === web ? 'web1' : host, endpoint };
  };
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
    // The echo server is a lab node here (echo.internal:7), the only kind of place a tunnel may go.
    const withEcho = await lab({ 'echo.internal:7': { host: '127.0.0.1', port: echoPort } });
    const proxy2 = new ForwardProxy({ nodeId: 'squid2', labAddress: withEcho.resolver });
    cleanup.push(() => proxy2.stop());
    const endpoint2 = await proxy2.start();
    const client = net.connect(endpoint2.port, endpoint2.host);
    client.on('error', () => undefined);
    let received = '';
    client.on('data', (d) => (received += d.toString()));
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.write(`CONNECT echo.internal:7 HTTP/1.1\r\nHost: echo.internal:7\r\n\r\nping`);
    await waitUntil(() => received.includes('ping'), 'echo through the tunnel');
    expect(received).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nping/);
    for (const s of sockets) s.destroy();
    await closed;
    await waitUntil(() => proxy2.metrics().activeConnections === 0, 'proxy sockets closed');
  });

  it('refuses destinations outside the lab by default, and loopback, link-local and metadata addresses always', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, allow: ['*.example.test', '169.254.0.0/16', 'fe80::/10', '127.0.0.0/8'] });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    expect((await curl(endpoint, 'http://127.0.0.1:9/')).output).toContain('loopback');
    proxy.setPolicy({});
    const outside = await curl(endpoint, 'http://www.example.test/');
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
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, allow: ['*.example.test'], deny: ['API.internal.'] });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    expect((await curl(endpoint, 'http://www.example.test/direct')).status).toBe(200);
    const denied = await curl(endpoint, 'http://api.internal/x');
    expect(denied.status).toBe(403);
    expect(denied.output).toContain('deny list');
    // Not on the allow list (even though it is in the lab): refused.
    expect((await curl(endpoint, 'http://10.0.1.10/x')).status).toBe(403);
    proxy.setPolicy({ allow: ['*.internal', '10.0.0.0/16', '*.example.test'], deny: ['www.example.test'] });
    expect((await curl(endpoint, 'http://api.internal/x')).status).toBe(200);
    expect((await curl(endpoint, 'http://10.0.1.10/x')).status).toBe(200);
    expect((await curl(endpoint, 'http://www.example.test/direct')).status).toBe(403);
    // The lab endpoint itself is loopback: never a way around the lab's own mapping and gate.
    expect((await curl(endpoint, `http://127.0.0.1:${web.port}/direct`)).status).toBe(403);
  });

  it('answers allowed destinations outside the design with the internet stand-in, which names them; CONNECT too', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, allow: ['*.example.test', '203.0.113.0/24'], deny: ['deny.example.test'] });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    const answered = await curl(endpoint, 'http://www.example.test:8080/path?q=1');
    expect(answered.status).toBe(200);
    expect(answered.output.toLowerCase()).toContain('x-served-by: internet');
    expect(answered.output.toLowerCase()).toContain('x-topolab-internet: www.example.test:8080');
    expect(answered.output).toContain('"destination":"www.example.test:8080"');
    expect(answered.output).toContain('"path":"/path?q=1"');
    expect((await curl(endpoint, 'http://203.0.113.7/')).output).toContain('"destination":"203.0.113.7:80"');
    expect((await curl(endpoint, 'http://deny.example.test/')).status).toBe(403);
    // A tunnel: "200 Connection Established" naming the destination, then plain HTTP answered inside it.
    const tunneled = await curl(endpoint, 'http://www.example.test:443/in-tunnel', ['-p']);
    expect(tunneled.output).toMatch(/^HTTP\/1\.[01] 200 Connection Established/);
    expect(tunneled.output.toLowerCase()).toContain('x-topolab-internet: www.example.test:443');
    expect(tunneled.status).toBe(200);
    expect(tunneled.output).toContain('"path":"/in-tunnel"');
    expect(statusOf(await raw(endpoint, 'CONNECT deny.example.test:443 HTTP/1.1\r\nHost: deny.example.test:443\r\n\r\n', 500))).toBe(403);
  });

  it('serves a tunnel to the stand-in with the proxy\'s own hygiene and timeouts: TLS, nested CONNECT and slowloris get answers', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, allow: ['*.example.test'], headerTimeoutMs: 300 });
    cleanup.push(() => proxy.stop());
    const endpoint = await proxy.start();
    const connect = 'CONNECT www.example.test:443 HTTP/1.1\r\nHost: www.example.test:443\r\n\r\n';
    const answers = (text: string): number[] => [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    // Two pipelined requests inside the tunnel, sent with the CONNECT itself.
    const pipelined = await raw(endpoint, `${connect}GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 1000);
    expect(answers(pipelined)).toEqual([200, 200, 200]);
    expect(pipelined).toContain('"path":"/two"');
    // The stand-in speaks no TLS, and is no proxy.
    expect(answers(await raw(endpoint, `${connect}\x16\x03\x01\x00\xa5\x01\x00\x00`, 1000))).toEqual([200, 400]);
    expect(answers(await raw(endpoint, `${connect}CONNECT other.example.test:443 HTTP/1.1\r\nHost: other.example.test:443\r\n\r\n`, 1000))).toEqual([200, 405]);
    // A header block trickled into the tunnel meets the header timeout.
    const client = net.connect(endpoint.port, endpoint.host);
    let received = '';
    client.on('data', (d) => (received += d.toString()));
    client.write(`${connect}GET / HTTP/1.1\r\nHost: x\r\n`);
    const drip = setInterval(() => client.write('X-A: b\r\n'), 50);
    await new Promise<void>((resolve) => client.once('close', () => resolve()));
    clearInterval(drip);
    expect(answers(received)).toEqual([200, 408]);
  });

  it('answers 400 to origin-form requests, 502 with the blocker when routing refuses, and leaves no port after stop', async () => {
    const { resolver } = await lab();
    const proxy = new ForwardProxy({ nodeId: 'squid', labAddress: resolver, gate: () => ({ allowed: false, blockedBy: 'nat-1', reason: 'no NAT route', code: 'no-route' }) });
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
