/**
 * `tls.upstream` on real sockets: the lab re-encrypting to its upstreams' own TLS listeners,
 * and a balancer (and a cache) in front of hostile TLS upstreams: a certificate from another
 * CA, plain HTTP on the TLS port, a peer that closes mid-handshake, no listener at all. Each
 * is a 502 naming the cause, a log line, a passive ejection and a failed health check, and
 * the balancer keeps serving from its good upstream.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { createCache, createL7Balancer, type Endpoint, type LabService, type ServiceEvent, type UpstreamTarget } from '../../../core/runtime/services/index.js';
import { ensureAuthority, ensureLeaves, type Authority, type LeafCertificate } from '../../../core/runtime/tls/authority.js';
import { tempDirPerTest } from '../../support/temp.js';
import { parseTopology } from '../../../core/model/load.js';
import { realLab } from './helpers.js';

const projectDir = tempDirPerTest('topolab-tls-up-');
const otherDir = tempDirPerTest('topolab-tls-other-');
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(server: Server): Promise<Endpoint> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(resolve);
      }),
  );
  return { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
}

/** An HTTPS upstream answering with what its TLS socket saw (SNI, encrypted). */
function tlsUpstream(leaf: LeafCertificate, id: string): Promise<Endpoint> {
  const server = createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': id });
    res.end(JSON.stringify({ id, encrypted: socket.encrypted === true, servername: socket.servername }));
  });
  return listen(server as unknown as Server);
}

/** The hostile TLS "listeners": plain HTTP on the TLS port, and a peer that closes after the first bytes of the hello. */
async function plainHttpOnTlsPort(): Promise<Endpoint> {
  return listen(createHttpServer((_req, res) => res.end('plain')) as unknown as Server);
}
async function closesMidHandshake(): Promise<Endpoint> {
  return listen(createNetServer((socket) => socket.once('data', () => socket.destroy())));
}

interface Pki {
  ca: Authority;
  good: LeafCertificate;
  foreign: LeafCertificate;
}

async function pki(): Promise<Pki> {
  const ca = await ensureAuthority(projectDir());
  const [good] = await ensureLeaves(projectDir(), ca, ['good.internal']);
  const other = await ensureAuthority(otherDir());
  const [foreign] = await ensureLeaves(otherDir(), other, ['bad.internal']);
  return { ca, good: good!, foreign: foreign! };
}

function target(nodeId: string, tls: Endpoint | undefined, servername: string): UpstreamTarget {
  // The plain endpoint is never used over TLS: a closed port proves it.
  return { nodeId, endpoint: { host: '127.0.0.1', port: 1 }, ...(tls ? { tls: { endpoint: tls, servername } } : {}) };
}

async function started<T extends LabService>(service: T): Promise<{ service: T; url: string }> {
  const endpoint = await service.start();
  closers.push(() => service.stop());
  return { service, url: `http://127.0.0.1:${endpoint.port}` };
}

async function get(url: string): Promise<{ status: number; body: string; servedBy: string | undefined }> {
  const res = await request(`${url}/x`, { method: 'GET' });
  const body = await res.body.text();
  const servedBy = res.headers['x-served-by'];
  return { status: res.statusCode, body, servedBy: typeof servedBy === 'string' ? servedBy : undefined };
}

/** Polls a condition (no sleeps standing in for a wait). */
async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Hostile = { name: string; make: (p: Pki) => Promise<UpstreamTarget>; reason: RegExp };

const HOSTILE: Hostile[] = [
  { name: 'a certificate from another CA', make: async (p) => target('bad', await tlsUpstream(p.foreign, 'bad'), 'bad.internal'), reason: /TLS handshake with the upstream failed: its certificate is not signed by the project's CA/ },
  { name: 'a certificate for another name', make: async (p) => target('bad', await tlsUpstream(p.good, 'bad'), 'other.internal'), reason: /its certificate does not name other\.internal/ },
  { name: 'plain HTTP on its TLS port', make: async () => target('bad', await plainHttpOnTlsPort(), 'bad.internal'), reason: /does not speak TLS 1\.2\+ on its TLS port \((ERR_SSL_|EPROTO)/ },
  { name: 'a peer closing mid-handshake', make: async () => target('bad', await closesMidHandshake(), 'bad.internal'), reason: /closed the connection during the handshake/ },
  { name: 'no TLS listener at all', make: async () => target('bad', undefined, 'bad.internal'), reason: /bad has no HTTPS listener to connect to/ },
];

describe('a balancer with tls.upstream in front of hostile upstreams', () => {
  it('connects to a good upstream over TLS with its name as SNI, verified against the CA', async () => {
    const p = await pki();
    const good = target('good', await tlsUpstream(p.good, 'good'), 'good.internal');
    const { url } = await started(createL7Balancer({ nodeId: 'lb', targets: [good], upstreamTls: { ca: p.ca.certPem } }));
    for (let i = 0; i < 3; i++) {
      const answer = await get(url);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ id: 'good', encrypted: true, servername: 'good.internal' });
    }
  });

  for (const hostile of HOSTILE) {
    it(`${hostile.name}: 502 naming the cause, a log line, ejection; the good upstream keeps serving`, async () => {
      const p = await pki();
      const bad = await hostile.make(p);
      const good = target('good', await tlsUpstream(p.good, 'good'), 'good.internal');
      const events: ServiceEvent[] = [];
      const onEvent = (e: ServiceEvent): void => void events.push(e);

      // Alone: every request is a 502 whose message names the cause.
      const alone = await started(createL7Balancer({ nodeId: 'lb1', targets: [bad], upstreamTls: { ca: p.ca.certPem }, onEvent, passive: { consecutiveFailures: 100 } }));
      const refused = await get(alone.url);
      expect(refused.status).toBe(502);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'bad-gateway' });
      expect(JSON.parse(refused.body).message).toMatch(hostile.reason);
      expect(events.some((e) => e.type === 'log' && e.level === 'error' && hostile.reason.test(e.message) && e.message.startsWith('HTTPS to upstream bad failed'))).toBe(true);
      expect(alone.service.metrics().upstreams?.['bad']?.failures).toBeGreaterThanOrEqual(1);

      // Beside a good one: GETs are retried there, the bad one is ejected with the reason.
      const both = await started(createL7Balancer({ nodeId: 'lb2', targets: [bad, good], upstreamTls: { ca: p.ca.certPem }, onEvent, passive: { consecutiveFailures: 2, ejectMs: 60_000, maxEjectedShare: 0.5 } }));
      for (let i = 0; i < 6; i++) {
        const answer = await get(both.url);
        expect(answer.status).toBe(200);
        expect(answer.servedBy).toBe('good');
      }
      const ejected = events.find((e) => e.type === 'health' && e.nodeId === 'lb2' && e.target === 'bad' && e.source === 'passive' && !e.healthy);
      expect(ejected?.type === 'health' ? ejected.reason : '').toMatch(hostile.reason);
    });
  }

  it('health checks go over TLS too: hostile upstreams fail them with the reason, the good one passes', async () => {
    const p = await pki();
    const targets = [
      target('foreign', await tlsUpstream(p.foreign, 'foreign'), 'bad.internal'),
      target('plain', await plainHttpOnTlsPort(), 'plain.internal'),
      target('cut', await closesMidHandshake(), 'cut.internal'),
      target('none', undefined, 'none.internal'),
      target('good', await tlsUpstream(p.good, 'good'), 'good.internal'),
    ];
    for (const type of ['http', 'tcp'] as const) {
      const { service, url } = await started(
        createL7Balancer({ nodeId: `lb-${type}`, targets, upstreamTls: { ca: p.ca.certPem }, healthCheck: { type, path: '/health', intervalMs: 1000, timeoutMs: 1000, rise: 1, fall: 1 } }),
      );
      await until(() => {
        const up = service.metrics().upstreams ?? {};
        return up['good']?.healthy === true && ['foreign', 'plain', 'cut', 'none'].every((id) => up[id]?.healthy === false);
      }, 15_000);
      const up = service.metrics().upstreams ?? {};
      expect(up['foreign']?.reason).toMatch(/not signed by the project's CA/);
      expect(up['plain']?.reason).toMatch(/does not speak TLS 1\.2\+ on its TLS port/);
      expect(up['cut']?.reason).toMatch(/closed the connection during the handshake/);
      expect(up['none']?.reason).toMatch(/none has no HTTPS listener/);
      for (let i = 0; i < 4; i++) expect((await get(url)).servedBy).toBe('good');
    }
  }, 60_000);

  it('a cache with tls.upstream refuses an origin whose certificate is from another CA, then serves from a good one', async () => {
    const p = await pki();
    const events: ServiceEvent[] = [];
    const bad = target('origin', await tlsUpstream(p.foreign, 'origin'), 'bad.internal');
    const { service, url } = await started(createCache({ nodeId: 'cache', targets: [bad], upstreamTls: { ca: p.ca.certPem }, onEvent: (e) => void events.push(e) }));
    const refused = await get(url);
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.body).message).toMatch(/origin: TLS handshake with the upstream failed: its certificate is not signed by the project's CA/);
    expect(events.some((e) => e.type === 'log' && /HTTPS to upstream origin failed/.test(e.message))).toBe(true);
    service.setTargets([target('origin', await tlsUpstream(p.good, 'origin'), 'good.internal')]);
    const served = await get(url);
    expect(served.status).toBe(200);
    expect(JSON.parse(served.body)).toMatchObject({ encrypted: true, servername: 'good.internal' });
  });
});

describe('the lab with tls.upstream', () => {
  const labs: Lab[] = [];
  afterEach(async () => {
    await Promise.all(labs.splice(0).map((lab) => lab.stop()));
  });

  it('serves through its upstreams over HTTPS: each upstream saw TLS on its own HTTPS listener', async () => {
    const lab = realLab('tls-upstream', { projectFolder: projectDir() });
    labs.push(lab);
    await lab.start();
    const endpoints = new Map(lab.endpoints().map((e) => [e.id, e]));
    const httpsPort = (id: string): string => new URL(endpoints.get(id)?.httpsUrl ?? 'https://x:0').port;
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const answer = await lab.request({ to: 'lb', path: '/x' });
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.body ?? '{}') as { node: string; headers: Record<string, string> };
      // The proxy in front of the server set X-Forwarded-Proto and -Port from the connection the balancer made to it.
      const proxy = body.node === 'web1' ? 'app1' : 'app2';
      expect(body.headers['x-forwarded-proto']).toBe('https');
      expect(body.headers['x-forwarded-port']).toBe(httpsPort(proxy));
      seen.add(proxy);
    }
    expect([...seen].sort()).toEqual(['app1', 'app2']);
    // Over HTTPS from the client too, and through the cache (whose own listener is off).
    const secure = await lab.request({ to: 'lb', path: '/y', https: true });
    expect(secure.status).toBe(200);
    const cached = await lab.request({ to: 'cache', path: '/z' });
    expect(cached.status).toBe(200);
    expect(JSON.parse(cached.body ?? '{}').headers['x-forwarded-port']).toBe(httpsPort('app1'));
    // The balancer's checks pass over TLS: both upstreams are healthy.
    const lbMetrics = lab.metrics().find((m) => m.nodeId === 'lb');
    expect(Object.values(lbMetrics?.upstreams ?? {}).map((u) => u.healthy)).toEqual([true, true]);
  });

  it('an API gateway route reaches its upstream over HTTPS too', async () => {
    const design = parseTopology(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'net', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
          { id: 'gw', kind: 'reverse-proxy', parent: 'net', ip: '10.0.1.5', tls: { enabled: false, upstream: true }, gateway: { routes: [{ id: 'orders', path: '/orders/*', upstreams: ['app'] }] } },
          { id: 'app', kind: 'reverse-proxy', parent: 'net', ip: '10.0.1.10', port: 8080, tls: { hosts: ['orders.internal'], port: 8443 } },
          { id: 'web', kind: 'server', parent: 'net', ip: '10.0.1.20', port: 8080 },
        ],
        edges: [{ id: 'e1', from: 'app', to: 'web' }],
      }),
    );
    const lab = realLab(design, { projectFolder: projectDir() });
    labs.push(lab);
    await lab.start();
    const answer = await lab.request({ to: 'gw', path: '/orders/7' });
    expect(answer.status).toBe(200);
    expect(answer.headers?.['x-topolab-route']).toBe('orders');
    const body = JSON.parse(answer.body ?? '{}') as { headers: Record<string, string> };
    expect(body.headers['x-forwarded-proto']).toBe('https');
    expect(body.headers['x-forwarded-port']).toBe(new URL(lab.endpoints().find((e) => e.id === 'app')?.httpsUrl ?? 'https://x:0').port);
  });
});
