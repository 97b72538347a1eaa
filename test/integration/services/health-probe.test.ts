/**
 * Health probes against real sockets: a probe's timeout measures the target, never the lab.
 * The targets run in a child process, so they keep answering while this process is busy; the
 * test blocks its own event loop past the probe's deadline, as a loaded machine does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, resolveHealthCheck } from '../../../core/runtime/balancing/health.js';

const TARGETS = `
const http = require('node:http');
const net = require('node:net');
// Says when a request arrives, then answers 50 ms later: by then the prober is stalled.
const answering = http.createServer((req, res) => {
  process.stdout.write('request\\n');
  setTimeout(() => res.end('ok'), 50);
}).listen(0, '127.0.0.1', () => {
  const silent = net.createServer(() => {}).listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ answering: answering.address().port, silent: silent.address().port }) + '\\n');
  });
});
`;

let child: ChildProcess;
let ports: { answering: number; silent: number };

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', TARGETS], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  ports = JSON.parse(line.toString()) as typeof ports;
});

/** Resolves when the target process says a request reached it. */
function requestArrived(): Promise<unknown> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      if (!chunk.toString().includes('request')) return;
      child.stdout!.off('data', onData);
      resolve(undefined);
    };
    child.stdout!.on('data', onData);
  });
}

afterAll(() => {
  child.kill();
});

/** Keeps this process's event loop busy for `ms`, as a stalled lab would be. */
function stall(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy on purpose
  }
}

const endpoint = (port: number) => ({ host: '127.0.0.1', port });

describe('health probe timeouts', () => {
  it('an HTTP answer that arrived while the lab was stalled past the deadline counts as a pass', async () => {
    const settings = resolveHealthCheck({ type: 'http', intervalMs: 1000, timeoutMs: 1000 }, 'http');
    const arrived = requestArrived();
    const result = probe(settings, endpoint(ports.answering));
    await arrived;
    // The answer comes 50 ms into the stall; the 1 s deadline passes during it too.
    stall(1500);
    await expect(result).resolves.toBeUndefined();
  });

  it('a TCP connect that completed while the lab was stalled counts as a pass', async () => {
    const settings = resolveHealthCheck({ type: 'tcp', intervalMs: 50, timeoutMs: 50 }, 'tcp');
    // Probing from a setImmediate callback puts the timers phase next, before the I/O poll that
    // would see the connect complete: the order a busy lab meets them in.
    const { pending } = await new Promise<{ pending: Promise<string | undefined> }>((resolve) =>
      setImmediate(() => {
        const pending = probe(settings, endpoint(ports.answering));
        // After the socket's own queued work (the connect call), the kernel completes the
        // handshake while this process is busy, and the deadline passes.
        process.nextTick(() => {
          stall(300);
          resolve({ pending });
        });
      }),
    );
    await expect(pending).resolves.toBeUndefined();
  });

  it('an in-process target that the stall kept from answering gets the stalled time back', async () => {
    // The lab's own servers share its event loop: while it is stalled they cannot answer.
    const server: Server = createServer((req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const settings = resolveHealthCheck({ type: 'http', intervalMs: 50, timeoutMs: 50 }, 'http');
      const result = probe(settings, endpoint((server.address() as AddressInfo).port));
      stall(300);
      await expect(result).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('a target that never answers still times out, stalled or not', async () => {
    const settings = resolveHealthCheck({ type: 'http', intervalMs: 50, timeoutMs: 50 }, 'http');
    const quiet = probe(settings, endpoint(ports.silent));
    await expect(quiet).resolves.toBe('GET /health timed out after 50 ms');
    const stalled = probe(settings, endpoint(ports.silent));
    stall(200);
    await expect(stalled).resolves.toBe('GET /health timed out after 50 ms');
  });
});
