import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { distinctSourcesSupported, loopbackSources, runLoad, sendOne } from '../../../core/runtime/load/index.js';

/** A tiny HTTP server that records what it saw; `x-served-by` alternates between two names. */
interface Recorder {
  server: Server;
  url: string;
  seen: { url: string; remote: string }[];
  maxInFlight: number;
  connections(): Promise<number>;
}

const servers: Server[] = [];

async function startRecorder(handler?: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Recorder> {
  let inFlight = 0;
  const recorder: Recorder = {
    server: createServer((req, res) => {
      inFlight++;
      recorder.maxInFlight = Math.max(recorder.maxInFlight, inFlight);
      const n = recorder.seen.push({ url: req.url ?? '', remote: req.socket.remoteAddress ?? '' });
      res.on('finish', () => inFlight--);
      if (handler) return handler(req, res, n);
      // setImmediate keeps several requests in flight at once, so the bound is observable.
      setImmediate(() => {
        res.setHeader('x-served-by', n % 2 === 0 ? 'even' : 'odd');
        res.end('ok');
      });
    }),
    url: '',
    seen: [],
    maxInFlight: 0,
    connections: () => new Promise((resolve, reject) => recorder.server.getConnections((e, c) => (e ? reject(e) : resolve(c)))),
  };
  servers.push(recorder.server);
  await new Promise<void>((resolve) => recorder.server.listen(0, '127.0.0.1', resolve));
  recorder.url = `http://127.0.0.1:${(recorder.server.address() as AddressInfo).port}`;
  return recorder;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
});

describe('runLoad', () => {
  it('sends exactly N requests at concurrency C and summarises status, latency and servers', async () => {
    const target = await startRecorder();
    const result = await runLoad({ url: target.url, path: '/hello', requests: 200, concurrency: 8 });
    expect(result.requests).toBe(200);
    expect(target.seen).toHaveLength(200);
    expect(target.seen.every((s) => s.url === '/hello')).toBe(true);
    expect(result.status).toEqual({ '200': 200 });
    expect(result.byServer).toEqual({ odd: 100, even: 100 });
    expect(target.maxInFlight).toBeLessThanOrEqual(8);
    expect(target.maxInFlight).toBeGreaterThan(1);
    expect(result.latency.p50).toBeGreaterThan(0);
    expect(result.latency.p50).toBeLessThanOrEqual(result.latency.p99);
    expect(result.latency.p99).toBeLessThanOrEqual(result.latency.max);
    expect(result.rps).toBeGreaterThan(0);
    expect(result.aborted).toBe(false);
    // Every pooled keep-alive socket is closed when the run resolves.
    await expect.poll(() => target.connections()).toBe(0);
  });

  it('runs for a duration and reports progress', async () => {
    const target = await startRecorder();
    const progress: number[] = [];
    const result = await runLoad({ url: target.url, durationSeconds: 0.4, concurrency: 4, progressIntervalMs: 50, onProgress: (p) => progress.push(p.completed) });
    expect(result.durationMs).toBeGreaterThanOrEqual(400);
    expect(result.durationMs).toBeLessThan(3000);
    expect(result.requests).toBe(target.seen.length);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(result.requests);
  });

  it('paces the run to a rate and reports every request', async () => {
    const target = await startRecorder();
    const outcomes: { sentAtMs: number; status: number | 'error'; servedBy?: string }[] = [];
    const result = await runLoad({ url: target.url, durationSeconds: 1, rps: 40, concurrency: 4, onRequest: (r) => outcomes.push(r) });
    // 40 slots 25 ms apart in one second (the first at 0 ms): never more, never a burst.
    // A stalled event loop drops the slots it misses (never sends them late in a burst), so a
    // loaded CI machine may send fewer; half the slots still shows the pacer is not starving.
    expect(result.requests).toBeGreaterThanOrEqual(20);
    expect(result.requests).toBeLessThanOrEqual(40);
    expect(outcomes).toHaveLength(result.requests);
    expect(outcomes.every((o) => o.status === 200 && (o.servedBy === 'odd' || o.servedBy === 'even'))).toBe(true);
    const sent = outcomes.map((o) => o.sentAtMs).sort((a, b) => a - b);
    expect(sent.filter((t) => t < 500).length).toBeLessThanOrEqual(21);
  });

  it('counts requests without a response under status "error" with their cause', async () => {
    const closed = await startRecorder();
    const url = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    const result = await runLoad({ url, requests: 5, concurrency: 2 });
    expect(result.requests).toBe(5);
    expect(result.status).toEqual({ error: 5 });
    expect(result.errors).toEqual({ ECONNREFUSED: 5 });
    expect(result.byServer).toEqual({});
  });

  it('counts every status code the target answers', async () => {
    const target = await startRecorder((_req, res, n) => {
      res.statusCode = n % 4 === 0 ? 503 : 200;
      res.end();
    });
    const result = await runLoad({ url: target.url, requests: 40, concurrency: 1 });
    expect(result.status).toEqual({ '200': 30, '503': 10 });
  });

  it('stops early when cancelled and closes every socket', async () => {
    // The target never answers: only cancellation can end the run.
    const target = await startRecorder(() => undefined);
    const controller = new AbortController();
    const run = runLoad({ url: target.url, requests: 1000, concurrency: 5, signal: controller.signal });
    await expect.poll(() => target.seen.length).toBe(5);
    controller.abort();
    const result = await run;
    expect(result.aborted).toBe(true);
    expect(result.requests).toBe(0);
    await expect.poll(() => target.connections()).toBe(0);
  });

  it('sends absolute-form request lines when going through a forward proxy', async () => {
    const proxy = await startRecorder((_req, res) => res.end());
    await runLoad({ url: proxy.url, viaProxyTo: 'http://10.0.2.10:8080', path: '/x?y=1', requests: 3, concurrency: 1 });
    expect(proxy.seen.map((s) => s.url)).toEqual(['http://10.0.2.10:8080/x?y=1', 'http://10.0.2.10:8080/x?y=1', 'http://10.0.2.10:8080/x?y=1']);
  });

  if (!distinctSourcesSupported()) console.log('skipped: distinct 127.x source addresses need Linux, where all of 127.0.0.0/8 is on the loopback interface');
  it.runIf(distinctSourcesSupported())('binds distinct 127.x source addresses (Linux)', async () => {
    const target = await startRecorder();
    const sources = loopbackSources(4);
    await runLoad({ url: target.url, requests: 40, concurrency: 4, sourceAddresses: sources });
    expect(new Set(target.seen.map((s) => s.remote))).toEqual(new Set(sources));
  });

  it('refuses invalid options with a clear message', async () => {
    await expect(runLoad({ url: 'ftp://x', requests: 1 })).rejects.toThrow(/http:\/\//);
    await expect(runLoad({ url: 'http://127.0.0.1:1', requests: 1, durationSeconds: 1 })).rejects.toThrow(/not both/);
    await expect(runLoad({ url: 'http://127.0.0.1:1', concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(runLoad({ url: 'http://127.0.0.1:1', path: 'x' })).rejects.toThrow(/path/);
    // The lab's traffic goes to its own loopback endpoints only, never by name (no resolver).
    await expect(runLoad({ url: 'http://10.0.0.1:80', requests: 1 })).rejects.toThrow(/not a lab endpoint/);
    await expect(runLoad({ url: 'http://localhost:1', requests: 1 })).rejects.toThrow(/not a lab endpoint/);
  });
});

describe('sendOne', () => {
  it('returns status, headers, timings and the served-by chain', async () => {
    const target = await startRecorder((_req, res) => {
      res.setHeader('x-served-by', 'web1, lb');
      res.setHeader('via', '1.1 cache, 1.1 lb');
      res.end('x'.repeat(100));
    });
    const result = await sendOne({ url: target.url, path: '/a', maxBodyBytes: 10 });
    expect(result).toMatchObject({ status: 200, servedBy: ['web1', 'lb'], via: ['1.1 cache', '1.1 lb'], body: 'x'.repeat(10), bodyBytes: 100, truncated: true });
    expect(result.timing.totalMs).toBeGreaterThanOrEqual(result.timing.headersMs);
    await expect.poll(() => target.connections()).toBe(0);
  });

  it('reports a refused connection as status 0 with the cause', async () => {
    const closed = await startRecorder();
    await new Promise((resolve) => closed.server.close(resolve));
    const result = await sendOne({ url: closed.url });
    expect(result.status).toBe(0);
    expect(result.error).toMatch(/^ECONNREFUSED/);
  });
});
