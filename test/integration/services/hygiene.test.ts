import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../core/runtime/services/backend.js';
import { L7Balancer } from '../../../core/runtime/services/l7-balancer.js';
import type { Endpoint } from '../../../core/runtime/services/types.js';
import { origin, raw, request, statusOf } from './helpers.js';
import { waitUntil } from '../../support/wait.js';

/** Request hygiene of every HTTP front end, checked through the L7 balancer in front of a counting origin. */
describe('request hygiene over raw sockets', () => {
  let lb: L7Balancer;
  let front: Endpoint;
  let server: Awaited<ReturnType<typeof origin>>;
  const seen: string[] = [];

  beforeAll(async () => {
    server = await origin((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    lb = new L7Balancer({ nodeId: 'lb', targets: [{ nodeId: 'o', endpoint: server.endpoint }], maxBodyBytes: 1000, maxRequestLineBytes: 512, maxHeaderBytes: 2048 });
    front = await lb.start();
  });
  afterAll(async () => {
    await lb.stop();
    await server.close();
  });

  const cases: [string, string, number][] = [
    ['Content-Length with Transfer-Encoding (CL.TE smuggling)', 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['TE.CL smuggling', 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n', 400],
    ['duplicate differing Content-Length', 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!', 400],
    ['obfuscated Transfer-Encoding', 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n', 400],
    ['space before the colon', 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n', 400],
    ['bad chunk size', 'POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', 400],
    ['garbage request line', 'HELLO THERE\r\n\r\n', 400],
    ['declared body over the limit', 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n', 413],
    ['request line over the limit', `GET /${'a'.repeat(600)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
    ['request line far over the limit', `GET /${'a'.repeat(5000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
    ['header block over the limit', `GET /a HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(2100)}\r\n\r\n`, 431],
    ['header block far over the limit', `GET /a HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(9000)}\r\n\r\n`, 431],
  ];

  it.each(cases)('%s -> %i, and the origin never sees it', async (_name, bytes, status) => {
    const before = seen.length;
    const response = await raw(front, bytes, 500);
    expect(statusOf(response)).toBe(status);
    expect(response).toMatch(/\r\n\r\n\{"error":/);
    expect(seen.length).toBe(before);
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    const before = seen.length;
    const chunk = 'x'.repeat(600);
    const response = await raw(front, `POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`, 500);
    expect(statusOf(response)).toBe(413);
    // The origin may have started reading the request, but it never completed it.
    expect(seen.slice(before).every((s) => s === 'POST /big')).toBe(true);
  });

  it('forwards exactly one request when a second one hides in a pipelined body', async () => {
    const before = seen.length;
    const body = 'GET /hidden HTTP/1.1\r\nHost: x\r\n\r\n';
    const response = await raw(front, `POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, 500);
    expect(statusOf(response)).toBe(200);
    expect(seen.slice(before)).toEqual(['POST /one']);
  });

  it('still serves normal traffic after all that', async () => {
    expect((await request(front, '/fine')).status).toBe(200);
  });

  it('survives 1,000 client requests aborted mid-flight, with sockets back to baseline', async () => {
    const tcpHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').length;
    const baseline = tcpHandles();
    const slow = await origin((req, res) => {
      req.resume();
      setTimeout(() => res.end('late'), 50);
    });
    const balancer = new L7Balancer({ nodeId: 'lb2', targets: [{ nodeId: 'slow', endpoint: slow.endpoint }] });
    const endpoint = await balancer.start();
    const abortOne = (): Promise<void> =>
      new Promise((resolve) => {
        const socket = net.connect(endpoint.port, endpoint.host, () => {
          socket.write('GET /abort HTTP/1.1\r\nHost: x\r\n\r\n');
          setImmediate(() => socket.destroy());
        });
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
    for (let batch = 0; batch < 10; batch += 1) await Promise.all(Array.from({ length: 100 }, abortOne));
    await waitUntil(() => balancer.metrics().activeConnections === 0, 'client sockets to close');
    await waitUntil(() => Object.values(balancer.metrics().upstreams ?? {}).every((u) => u.active === 0), 'upstream requests to settle');
    expect((await request(endpoint, '/after')).body).toBe('late');
    expect(balancer.metrics().upstreams?.['slow']?.failures).toBe(0);
    await balancer.stop();
    await slow.close();
    await waitUntil(() => tcpHandles() <= baseline, `TCP handles back to ${baseline} (now ${tcpHandles()})`);
  });
});

describe('a client that resets the connection right after a request the front end answers itself', () => {
  it('never takes the process down (CONNECT to a non-proxy, then RST)', async () => {
    const backend = new Backend({ nodeId: 'b' });
    const endpoint = await backend.start();
    const errors: unknown[] = [];
    const onUncaught = (error: unknown): void => void errors.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      for (let i = 0; i < 20; i++) {
        const socket = net.connect(endpoint.port, endpoint.host);
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.on('error', () => undefined);
        socket.write('CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n');
        // Reset while the 405 is on its way: the server's write then fails with ECONNRESET.
        socket.resetAndDestroy();
      }
      await waitUntil(() => backend.metrics().activeConnections === 0, 'the reset connections are gone', 5_000);
      expect(statusOf(await raw(endpoint, 'GET /health HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n'))).toBe(200);
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await backend.stop();
    }
  });
});
