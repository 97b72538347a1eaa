import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEventFrame } from '../../../core/api/transports/frames.js';
import { LabHost, type LabChild, type LabSpawner } from '../../../electron/main/lab-host.js';
import { nodePort } from './helpers.js';
import { acceptsConnections } from '../../support/net.js';

const WORKER = new URL('./fixtures/lab-worker.ts', import.meta.url);
const EXAMPLE = new URL('../../../examples/nginx-two-backends.topolab.json', import.meta.url);

/**
 * The worker fixture and the core it serves, bundled once into one JavaScript file (as the
 * app bundles its lab process): workers do not inherit Vitest's TypeScript loading, and
 * registering tsx in each thread instead cost about 3 CPU seconds per lab started (its
 * loader hooks resolve and load every core module through another thread), against about
 * 0.1 s for the bundle. Bare imports are bundled too, so the file runs from a temp folder;
 * `require` is given to the CommonJS packages inside.
 */
let bundleDir = '';
let bundle = '';
beforeAll(async () => {
  bundleDir = await mkdtemp(join(tmpdir(), 'topolab-lab-worker-'));
  bundle = join(bundleDir, 'lab-worker.mjs');
  await build({
    entryPoints: [fileURLToPath(WORKER)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
    banner: { js: "import { createRequire as bannerCreateRequire } from 'node:module'; const require = bannerCreateRequire(import.meta.url);" },
  });
}, 60_000);
afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
});

/** Spawns worker threads in place of utility processes; the port travels inside the message, as Node requires. */
function workerSpawner(started: Worker[]): LabSpawner<MessagePort> {
  return {
    fork(): LabChild<MessagePort> {
      const worker = new Worker(bundle);
      started.push(worker);
      return {
        get pid() {
          return worker.threadId;
        },
        postMessage: (init, [port]) => worker.postMessage({ init, port }, port ? [port] : []),
        once: (_event, listener) => void worker.once('exit', listener),
        kill: () => (void worker.terminate(), true),
      };
    },
    channel() {
      const { port1, port2 } = new MessageChannel();
      return { local: nodePort(port1), remote: port2 };
    },
  };
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
const listening = (port: number): Promise<boolean> => acceptsConnections(port);

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
});

describe('LabHost (one lab process per window)', () => {
  it('starts the process on the first call only, and stops it with the lab: no port is left', async () => {
    const frames: ServerEventFrame[] = [];
    const host = new LabHost(workerSpawner(workers), {}, (frame) => frames.push(frame));
    expect(host.pid).toBeUndefined();
    const text = await readFile(EXAMPLE, 'utf8');
    const parsed = (await host.call('topology.parse', { text })) as { result: { ok: boolean; topology: unknown } };
    expect(parsed.result.ok).toBe(true);
    expect(workers).toHaveLength(1);

    const started = await host.call('lab.start', { topology: parsed.result.topology });
    expect(started).toHaveProperty('result');
    const ports = JSON.stringify(started)
      .match(/127\.0\.0\.1:(\d+)/g)
      ?.map((hostPort) => Number(hostPort.split(':')[1])) ?? [];
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(await listening(port)).toBe(true);

    const exited = new Promise<number>((resolve) => workers[0]?.once('exit', resolve));
    await host.stop();
    expect(await exited).toBe(0); // exited by itself after closing the service, not killed
    expect(host.pid).toBeUndefined();
    for (const port of ports) expect(await listening(port)).toBe(false);
  }, 20_000);

  it('kills a lab that does not stop in time', async () => {
    let killed = 0;
    let exit: ((code: number) => void) | undefined;
    const { port1, port2 } = new MessageChannel();
    const host = new LabHost<MessagePort>(
      {
        fork: () => ({ pid: 4242, postMessage: () => {}, once: (_e, listener) => void (exit = listener), kill: () => (killed++, exit?.(137), true) }),
        channel: () => ({ local: nodePort(port1), remote: port2 }),
      },
      {},
      () => {},
    );
    const pending = host.call('cidr.info', { cidr: '10.0.0.0/8' }); // never answered: the fake process serves nothing
    await host.stop(30);
    expect(killed).toBe(1);
    expect(await pending).toMatchObject({ error: { code: 'failed', message: expect.stringContaining('137') } });
    port1.close();
  });

  it('restarts a crashed lab on the next call and replays the subscriptions', async () => {
    const frames: ServerEventFrame[] = [];
    const host = new LabHost(workerSpawner(workers), {}, (frame) => frames.push(frame));
    host.frame({ subscribe: 'files.changed' });
    expect(await host.call('cidr.info', { cidr: '10.0.0.0/8' })).toHaveProperty('result');
    const first = workers[0];
    const exited = new Promise((resolve) => first?.once('exit', resolve));
    await first?.terminate(); // a crash
    await exited;
    expect(await host.call('cidr.info', { cidr: '10.0.0.0/8' })).toHaveProperty('result');
    expect(workers).toHaveLength(2);
    expect(frames.filter((frame) => 'subscribed' in frame)).toHaveLength(2);
    await host.stop();
  }, 20_000);
});
