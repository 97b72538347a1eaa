import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';
import type { HostCommand, HostMessage } from './host/protocol.js';
import type { KernelSandbox } from './sandbox.js';

/** What a host reports outside of answers: service events, metrics, load progress and records. */
export type HostEvent = Extract<HostMessage, { event: string }>;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onEvent?: (event: HostEvent) => void };

let sourceEntry: Promise<string> | undefined;

/**
 * The host's entry point: the compiled `host/main.js` next to this module; when the lab
 * runs from its TypeScript sources (the tests), a bundle of `host/main.ts` made once per
 * process with esbuild, since starting every host through a TypeScript loader would
 * cost a third of a second of CPU each.
 */
function hostEntry(): Promise<string> {
  if (!import.meta.url.endsWith('.ts')) {
    // Next to this module when compiled (dist/core/runtime/kernel/); from the CLI's one-file build (dist/cli/topolab.cjs), in the compiled tree beside it.
    const compiled = fileURLToPath(new URL('./host/main.js', import.meta.url));
    return Promise.resolve(existsSync(compiled) ? compiled : fileURLToPath(new URL('../core/runtime/kernel/host/main.js', import.meta.url)));
  }
  sourceEntry ??= bundleHost();
  return sourceEntry;
}

async function bundleHost(): Promise<string> {
  // require, not import(): the CLI's one-file build (which never gets here) runs in vm.Script,
  // where import() cannot load a package; esbuild ships CommonJS.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  // Inside the repository, so the bundle's package imports (undici) resolve from its node_modules.
  const root = fileURLToPath(new URL('../../../node_modules/.cache/topolab-host/', import.meta.url));
  // Bundles of processes that are gone (a killed test run) go first.
  for (const pid of existsSync(root) ? readdirSync(root) : []) if (!existsSync(`/proc/${pid}`)) rmSync(path.join(root, pid), { recursive: true, force: true });
  const outdir = path.join(root, String(process.pid));
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./host/main.ts', import.meta.url))],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    logLevel: 'error',
  });
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  return path.join(outdir, 'main.js');
}

/**
 * The lab's side of one namespace host (./host/main.ts): spawns it inside a namespace,
 * sends commands and matches answers, forwards its events. A host that exits fails every
 * pending call with its last stderr lines.
 */
export class HostProcess {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  private exited = false;
  private readonly ready: Promise<void>;
  /** Receives service events and metrics. */
  onEvent: (event: HostEvent) => void = () => undefined;
  /** Called when the host ends without being asked to (killed, crashed), with its last stderr lines. */
  onExit: (code: number | null, signal: NodeJS.Signals | null, output: string) => void = () => undefined;
  private closing = false;

  constructor(
    sandbox: KernelSandbox,
    readonly ns: string,
  ) {
    this.ready = hostEntry().then((entry) => this.spawn(sandbox, entry));
    this.ready.catch(() => undefined);
  }

  /** Resolves once the host runs and listens for commands. */
  started(): Promise<void> {
    return this.ready;
  }

  /** Sends a command and resolves with the host's answer; `onEvent` gets events tied to it (load progress). */
  async call<T>(command: DistributiveOmit<HostCommand, 'id'>, onEvent?: (event: HostEvent) => void): Promise<T> {
    await this.ready;
    const child = this.child as ChildProcess;
    if (this.exited) throw this.failure();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, ...(onEvent ? { onEvent } : {}) });
      child.send({ ...command, id }, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  /** The id the next call gets, so a long call (a load run) can be cancelled. */
  peekId(): number {
    return this.nextId;
  }

  /** Tells a running call (a load) to stop early. */
  cancel(run: number): void {
    if (!this.exited && this.child?.connected) this.child.send({ id: 0, op: 'cancel', run });
  }

  /** Asks the host to end (it ends when its IPC channel closes), and kills it if it does not within `graceMs`. */
  /** Whether the host has ended. */
  get ended(): boolean {
    return this.exited;
  }

  async close(graceMs = 2_000): Promise<void> {
    this.closing = true;
    await this.ready.catch(() => undefined);
    const child = this.child;
    if (!child || this.exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }

  private spawn(sandbox: KernelSandbox, entry: string): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The desktop runs the lab in Electron's utility process: its execPath is Electron, which must act as Node here.
    if (process.versions.electron !== undefined) env.ELECTRON_RUN_AS_NODE = '1';
    const child = sandbox.spawnIn(this.ns, process.execPath, [entry], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env, serialization: 'json' });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    child.on('message', (message: HostMessage) => this.receive(message));
    child.once('exit', (code, signal) => {
      this.exited = true;
      const error = this.failure();
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
      if (!this.closing) this.onExit(code, signal, this.stderr);
    });
    return new Promise<void>((resolve, reject) => {
      const onReady = (message: HostMessage): void => {
        if ('event' in message && message.event === 'ready') {
          child.off('message', onReady);
          resolve();
        }
      };
      child.on('message', onReady);
      child.once('exit', () => reject(this.failure()));
      child.once('error', (error) => reject(new Error(`cannot start the host of namespace ${this.ns}: ${error.message}`)));
    });
  }

  private receive(message: HostMessage): void {
    if ('re' in message && !('event' in message)) {
      const pending = this.pending.get(message.re);
      if (!pending) return;
      this.pending.delete(message.re);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new Error(message.error));
      return;
    }
    if ('event' in message) {
      if ('re' in message) this.pending.get(message.re)?.onEvent?.(message);
      else this.onEvent(message);
    }
  }

  private failure(): Error {
    const tail = this.stderr.trim().split('\n').slice(-5).join('\n');
    return new Error(`the host of namespace ${this.ns} exited${tail ? `: ${tail}` : ''}`);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
