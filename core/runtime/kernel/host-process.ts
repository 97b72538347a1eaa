import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostCommand, HostMessage } from './host/protocol.js';
import type { KernelSandbox } from './sandbox.js';

/** What a host reports outside of answers: service events, metrics, load progress and records. */
export type HostEvent = Extract<HostMessage, { event: string }>;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; onEvent?: (event: HostEvent) => void };

/** The host entry point next to this module: compiled JS, or the TypeScript source under tsx (tests). */
function hostEntry(): { args: string[] } {
  const url = new URL('./host/main.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) return { args: ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./host/main.ts', import.meta.url))] };
  return { args: [fileURLToPath(url)] };
}

/**
 * The lab's side of one namespace host (./host/main.ts): spawns it inside a namespace,
 * sends commands and matches answers, forwards its events. A host that exits fails every
 * pending call with its last stderr lines.
 */
export class HostProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderr = '';
  private exited = false;
  private readonly ready: Promise<void>;
  /** Receives service events and metrics. */
  onEvent: (event: HostEvent) => void = () => undefined;

  constructor(
    sandbox: KernelSandbox,
    readonly ns: string,
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The desktop runs the lab in Electron's utility process: its execPath is Electron, which must act as Node here.
    if (process.versions.electron !== undefined) env.ELECTRON_RUN_AS_NODE = '1';
    this.child = sandbox.spawnIn(ns, process.execPath, hostEntry().args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env, serialization: 'json' });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.ready = new Promise((resolve, reject) => {
      const onReady = (message: HostMessage): void => {
        if ('event' in message && message.event === 'ready') {
          this.child.off('message', onReady);
          resolve();
        }
      };
      this.child.on('message', onReady);
      this.child.once('exit', () => reject(this.failure()));
      this.child.once('error', (error) => reject(new Error(`cannot start the host of namespace ${ns}: ${error.message}`)));
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (message: HostMessage) => this.receive(message));
    this.child.once('exit', () => {
      this.exited = true;
      const error = this.failure();
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
  }

  /** Resolves once the host runs and listens for commands. */
  started(): Promise<void> {
    return this.ready;
  }

  /** Sends a command and resolves with the host's answer; `onEvent` gets events tied to it (load progress). */
  async call<T>(command: DistributiveOmit<HostCommand, 'id'>, onEvent?: (event: HostEvent) => void): Promise<T> {
    await this.ready;
    if (this.exited) throw this.failure();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, ...(onEvent ? { onEvent } : {}) });
      this.child.send({ ...command, id }, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  /** Tells a running call (a load) to stop early. */
  cancel(run: number): void {
    if (!this.exited && this.child.connected) this.child.send({ id: 0, op: 'cancel', run });
  }

  /** The id the next call gets (so it can be cancelled). */
  peekId(): number {
    return this.nextId;
  }

  /** Asks the host to end, and kills it if it does not within `graceMs`. */
  async close(graceMs = 2_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
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
