import { afterEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../core/runtime/services/backend.js';
import { CommandBackend } from '../../../core/runtime/services/command.js';
import type { ServiceEvent } from '../../../core/runtime/services/types.js';
import { isListening, json, request, stopAll } from './helpers.js';
import { waitUntil } from '../../support/wait.js';

const started: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await stopAll(started.splice(0) as never);
});

describe('built-in backend', () => {
  it('answers JSON naming itself, the designed address and the request as received', async () => {
    const backend = new Backend({ nodeId: 'web-1', designedAddress: '10.0.1.10:80' });
    started.push(backend);
    const endpoint = await backend.start();
    expect(endpoint.host).toBe('127.0.0.1');
    const reply = await request(endpoint, '/orders?id=7', { method: 'POST', headers: { 'x-trace': 'abc', 'content-type': 'text/plain' }, body: 'hello' });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-served-by']).toBe('web-1');
    const body = json(reply);
    expect(body).toMatchObject({ node: 'web-1', address: '10.0.1.10:80', method: 'POST', path: '/orders?id=7', bodyBytes: 5 });
    expect((body.headers as Record<string, string>)['x-trace']).toBe('abc');
    expect(backend.metrics().statusCodes).toEqual({ '200': 1 });
  });

  it('serves /static/* with validators and answers 304 to If-None-Match and If-Modified-Since', async () => {
    const backend = new Backend({ nodeId: 'web-1' });
    started.push(backend);
    const endpoint = await backend.start();
    const first = await request(endpoint, '/static/app.js');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect((await request(endpoint, '/static/app.js', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await request(endpoint, '/static/app.js', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await request(endpoint, '/static/app.js', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const past = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await request(endpoint, '/static/app.js', { headers: { 'if-modified-since': past } })).status).toBe(200);
    const sized = await request(endpoint, '/static/big.bin?bytes=5000');
    expect(sized.body.length).toBe(5000);
  });

  it('injects latency and errors, changeable while running, but never on /health', async () => {
    const backend = new Backend({ nodeId: 'web-1', errorRate: 1 });
    started.push(backend);
    const endpoint = await backend.start();
    expect((await request(endpoint, '/')).status).toBe(500);
    expect((await request(endpoint, '/health')).status).toBe(200);
    backend.setErrorRate(0);
    backend.setLatency({ distribution: 'fixed', ms: 150 });
    const t0 = performance.now();
    expect((await request(endpoint, '/')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    backend.setLatency(undefined);
    const t1 = performance.now();
    await request(endpoint, '/');
    expect(performance.now() - t1).toBeLessThan(140);
  });

  it('keeps its port across stop and start, and leaves nothing listening when stopped', async () => {
    const backend = new Backend({ nodeId: 'web-1' });
    const first = await backend.start();
    await backend.stop();
    expect(await isListening(first)).toBe(false);
    const second = await backend.start();
    started.push(backend);
    expect(second.port).toBe(first.port);
    expect((await request(second, '/')).status).toBe(200);
  });
});

it('refuses to start on a pinned port that is taken, naming the node, and the taken port survives', async () => {
  const first = new Backend({ nodeId: 'web-1' });
  started.push(first);
  const endpoint = await first.start();
  const second = new Backend({ nodeId: 'web-2', port: endpoint.port });
  await expect(second.start()).rejects.toThrow(new RegExp(`web-2: cannot listen on 127.0.0.1:${endpoint.port}: EADDRINUSE`));
  expect((await request(endpoint, '/')).headers['x-served-by']).toBe('web-1');
  await second.stop();
});

describe('user command backend', () => {
  const server = `node -e "require('http').createServer((q,s)=>s.end('cmd '+process.env.PORT)).listen(+process.env.PORT, process.env.HOST)"`;

  it('runs the command with PORT and HOST, waits until it listens and kills it on stop', async () => {
    const events: ServiceEvent[] = [];
    const backend = new CommandBackend({ nodeId: 'app', command: server, onEvent: (e) => events.push(e) });
    const endpoint = await backend.start();
    const reply = await request(endpoint, '/');
    expect(reply.body).toBe(`cmd ${endpoint.port}`);
    await backend.stop();
    expect(await isListening(endpoint)).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['listening', 'stopped']);
  });

  const crashing = `echo starting; node -e "require('http').createServer().listen(+process.env.PORT, process.env.HOST, () => setTimeout(() => process.exit(3), 300))"`;

  it('reports a crash as an event without throwing, and a command that never listens as a start error', async () => {
    const events: ServiceEvent[] = [];
    const backend = new CommandBackend({ nodeId: 'app', command: crashing, onEvent: (e) => events.push(e) });
    started.push(backend);
    await backend.start();
    await waitUntil(() => events.some((e) => e.type === 'crash'), 'crash event');
    expect(events.find((e) => e.type === 'crash')).toMatchObject({ exitCode: 3, output: 'starting\n' });
    expect(backend.endpoint()).toBeUndefined();
    const failing = new CommandBackend({ nodeId: 'broken', command: 'echo nope; exit 2', startTimeoutMs: 2000 });
    await expect(failing.start()).rejects.toThrow(/broken: command exited before listening; output: nope/);
  });
});
