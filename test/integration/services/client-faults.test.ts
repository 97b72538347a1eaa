import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../core/runtime/services/backend.js';
import { Cache } from '../../../core/runtime/services/cache.js';
import { ForwardProxy } from '../../../core/runtime/services/forward-proxy.js';
import { L7Balancer } from '../../../core/runtime/services/l7-balancer.js';
import { ReverseProxy } from '../../../core/runtime/services/reverse-proxy.js';
import type { Endpoint, LabService, NodeMetrics, UpstreamTarget } from '../../../core/runtime/services/types.js';
import { raw, rawBurst, request, startBackends, statusOf, stopAll, tally } from './helpers.js';

/**
 * Client faults never hurt the lab: every malformed form is answered by the front end
 * itself (never 502, never forwarded, never counted against a backend), and after a burst
 * of 1,000 of them every backend is healthy and normal traffic is spread over all of them.
 * Before the fix, about 65 of these froze a balancer for good (undici refused the request
 * while building it and kept the pool slot).
 */

/** Malformed (or locally answered) requests for origin-style front ends, with the answer each must get. */
const SERVER_FORMS: [string, string, number][] = [
  ['OPTIONS * (answered by the front end)', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 200],
  ['GET *', 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
  ['GET **', 'GET ** HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
  ['duplicate Host', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n', 400],
  ['duplicate identical Host', 'GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\nConnection: close\r\n\r\n', 400],
  ['Host with a space', 'GET / HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n', 400],
  ['Host with a slash', 'GET / HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n', 400],
  ['Host comma list', 'GET / HTTP/1.1\r\nHost: a, b\r\nConnection: close\r\n\r\n', 400],
  ['empty Host', 'GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n', 400],
  ['Host with userinfo', 'GET / HTTP/1.1\r\nHost: u@a\r\nConnection: close\r\n\r\n', 400],
  ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
  ['ftp absolute-form', 'GET ftp://a/b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 400],
  ['absolute-form with userinfo', 'GET http://u@a/b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 400],
  ['absolute-form with an empty host', 'GET http:///b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', 400],
  ['HTTP/2.0 in a text request line', 'GET / HTTP/2.0\r\nHost: a\r\nConnection: close\r\n\r\n', 505],
  ['unknown transfer coding', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n', 501],
  ['Transfer-Encoding in HTTP/1.0', 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['CONNECT to a non-proxy', 'CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n', 405],
  ['CL.TE smuggling', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['bad header name', 'GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n', 400],
];

/** The same faults in the forward proxy's absolute-form dialect (`{to}` is a lab destination). */
const PROXY_FORMS: [string, string, number][] = [
  ['OPTIONS * (answered by the proxy)', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 200],
  ['GET *', 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
  ['duplicate Host', 'GET http://{to}/ HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n', 400],
  ['Host with a space', 'GET http://{to}/ HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n', 400],
  ['Host with a slash', 'GET http://{to}/ HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n', 400],
  ['Host comma list', 'GET http://{to}/ HTTP/1.1\r\nHost: a, b\r\nConnection: close\r\n\r\n', 400],
  ['empty Host', 'GET http://{to}/ HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n', 400],
  ['origin-form', 'GET / HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\r\n', 400],
  ['https absolute-form', 'GET https://{to}/ HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\r\n', 400],
  ['ftp absolute-form', 'GET ftp://{to}/ HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\r\n', 400],
  ['userinfo', 'GET http://u@{to}/ HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\r\n', 400],
  ['HTTP/2.0', 'GET http://{to}/ HTTP/2.0\r\nHost: {to}\r\nConnection: close\r\n\r\n', 505],
  ['unknown transfer coding', 'POST http://{to}/ HTTP/1.1\r\nHost: {to}\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n', 501],
  ['CONNECT with duplicate Host', 'CONNECT {to}:80 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
  ['CONNECT without a port', 'CONNECT {to} HTTP/1.1\r\nHost: {to}\r\n\r\n', 400],
];

interface Fixture {
  name: string;
  service: LabService;
  endpoint: Endpoint;
  forms: [string, string, number][];
  /** One normal request per call; returns the server that answered. */
  normal: (i: number) => Promise<string>;
}

let backends: Backend[] = [];
let targets: UpstreamTarget[] = [];
const fixtures: Fixture[] = [];
const designed = (i: number): string => `10.0.1.${11 + i}`;

beforeAll(async () => {
  ({ backends, targets } = await startBackends(3));
  const serve = async (endpoint: Endpoint, path: string, headers: Record<string, string> = {}): Promise<string> => {
    const reply = await request(endpoint, path, { headers });
    expect(reply.status, reply.body).toBe(200);
    return String(reply.headers['x-served-by']);
  };
  const lb = new L7Balancer({ nodeId: 'lb', targets });
  const gw = new ReverseProxy({ nodeId: 'gw', targets, rules: [{ host: 'api.example', upstreams: ['b1', 'b2', 'b3'] }] });
  const cache = new Cache({ nodeId: 'cache', targets });
  const proxy = new ForwardProxy({
    nodeId: 'fwd',
    labAddress: (host, port) => {
      const index = [0, 1, 2].find((i) => designed(i) === host);
      return index !== undefined && port === 80 ? { nodeId: `b${index + 1}`, endpoint: targets[index]?.endpoint as Endpoint } : undefined;
    },
  });
  const lbEnd = await lb.start();
  const gwEnd = await gw.start();
  const cacheEnd = await cache.start();
  const proxyEnd = await proxy.start();
  fixtures.push(
    { name: 'L7 balancer', service: lb, endpoint: lbEnd, forms: SERVER_FORMS, normal: () => serve(lbEnd, '/') },
    { name: 'reverse proxy', service: gw, endpoint: gwEnd, forms: SERVER_FORMS, normal: () => serve(gwEnd, '/', { host: 'api.example' }) },
    { name: 'cache', service: cache, endpoint: cacheEnd, forms: SERVER_FORMS, normal: () => serve(cacheEnd, '/') },
    {
      name: 'forward proxy',
      service: proxy,
      endpoint: proxyEnd,
      forms: PROXY_FORMS.map(([name, bytes, status]) => [name, bytes.replaceAll('{to}', designed(0)), status]),
      normal: async (i) => {
        const answer = await raw(proxyEnd, `GET http://${designed(i % 3)}/ HTTP/1.1\r\nHost: ${designed(i % 3)}\r\nConnection: close\r\n\r\n`, 2000);
        expect(statusOf(answer), answer).toBe(200);
        return /x-served-by: (\S+)/i.exec(answer)?.[1] ?? 'none';
      },
    },
  );
});

afterAll(async () => {
  await stopAll(fixtures.map((f) => f.service));
  await stopAll(backends);
});

const upstreamsOf = (metrics: NodeMetrics): NonNullable<NodeMetrics['upstreams']> => metrics.upstreams ?? {};
const backendRequests = (): number => backends.reduce((sum, b) => sum + b.metrics().requests, 0);

describe.each(['L7 balancer', 'reverse proxy', 'cache', 'forward proxy'])('%s: client faults', (name) => {
  const fixture = (): Fixture => fixtures.find((f) => f.name === name) as Fixture;

  it('answers every malformed form itself, with the precise status, and forwards none', async () => {
    const before = backendRequests();
    for (const [form, bytes, status] of fixture().forms) {
      const answer = await raw(fixture().endpoint, bytes, 1000);
      expect(statusOf(answer), `${form}: ${answer.slice(0, 300)}`).toBe(status);
      if (status >= 400) expect(answer, form).toMatch(/\r\n\r\n\{"error":/);
    }
    expect(backendRequests()).toBe(before);
  });

  it('survives a burst of 1,000 malformed requests: every backend stays healthy and serves the traffic that follows', async () => {
    const { forms, endpoint, service } = fixture();
    const payloads = Array.from({ length: 1000 }, (_, i) => forms[i % forms.length]?.[1] as string);
    const expected = Array.from({ length: 1000 }, (_, i) => forms[i % forms.length]?.[2] as number);
    const before = backendRequests();
    const statuses = await rawBurst(endpoint, payloads, 50);
    // Every answer is the front end's own, none is a 502, none hung (-1) or went unanswered (0).
    expect(tally(statuses)).toEqual(tally(expected));
    expect(backendRequests()).toBe(before);
    for (const [id, upstream] of Object.entries(upstreamsOf(service.metrics()))) {
      expect(upstream, id).toMatchObject({ healthy: true, failures: 0, active: 0 });
    }
    const served: string[] = [];
    for (let i = 0; i < 30; i += 1) served.push(await fixture().normal(i));
    expect(tally(served)).toEqual({ b1: 10, b2: 10, b3: 10 });
  });
});

describe('absolute-form requests to gateways (RFC 9112 3.2.2)', () => {
  it('the balancer forwards them in origin-form with the URI authority as Host', async () => {
    const lb = fixtures.find((f) => f.name === 'L7 balancer') as Fixture;
    const answer = await raw(lb.endpoint, 'GET HTTP://Other.Example:8080/p?q=1#frag HTTP/1.1\r\nHost: ignored.example\r\nConnection: close\r\n\r\n', 1000);
    expect(statusOf(answer)).toBe(200);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { path: string; headers: Record<string, string> };
    expect(body.path).toBe('/p?q=1');
    expect(body.headers['host']).toBe('Other.Example:8080');
  });

  it('the reverse proxy routes them by the URI authority, which overrides Host', async () => {
    const gw = fixtures.find((f) => f.name === 'reverse proxy') as Fixture;
    const routed = await raw(gw.endpoint, 'GET http://api.example/x HTTP/1.1\r\nHost: no-rule.example\r\nConnection: close\r\n\r\n', 1000);
    expect(statusOf(routed)).toBe(200);
    expect(routed).toContain('"path":"/x"');
    const unrouted = await raw(gw.endpoint, 'GET http://no-rule.example/x HTTP/1.1\r\nHost: api.example\r\nConnection: close\r\n\r\n', 1000);
    expect(statusOf(unrouted)).toBe(404);
    // HTTP/1.0 without Host: the authority is the Host.
    expect(statusOf(await raw(gw.endpoint, 'GET http://API.Example./y HTTP/1.0\r\n\r\n', 1000))).toBe(200);
  });
});

describe('chunked bodies over the limit', () => {
  const chunked = (size: number): string => `POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${size.toString(16)}\r\n${'x'.repeat(size)}\r\n${size.toString(16)}\r\n${'x'.repeat(size)}\r\n0\r\n\r\n`;

  it('the cache answers 413 and does not hold it against the origin', async () => {
    const origins = await startBackends(1, 'o');
    const cache = new Cache({ nodeId: 'small-cache', targets: origins.targets, maxBodyBytes: 1000 });
    try {
      const endpoint = await cache.start();
      for (let i = 0; i < 5; i += 1) {
        const answer = await raw(endpoint, chunked(600), 1000);
        expect(statusOf(answer), answer).toBe(413);
        expect(answer).toContain('"error":"body-too-large"');
      }
      expect(cache.metrics().upstreams?.['o1']).toMatchObject({ healthy: true, failures: 0 });
      expect(cache.metrics().statusCodes).toEqual({ '413': 5 });
      expect((await request(endpoint, '/')).status).toBe(200);
    } finally {
      await stopAll([cache, ...origins.backends]);
    }
  });

  it('a server answers 413 to a chunked body over its limit, as it does to a declared one', async () => {
    const small = new Backend({ nodeId: 'small', maxBodyBytes: 1000 });
    try {
      const endpoint = await small.start();
      expect(statusOf(await raw(endpoint, chunked(600), 1000))).toBe(413);
      expect(statusOf(await raw(endpoint, 'POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 1200\r\n\r\n', 1000))).toBe(413);
      expect(statusOf(await raw(endpoint, chunked(400), 1000))).toBe(200);
    } finally {
      await small.stop();
    }
  });
});
