import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { ServiceStats } from '../metrics/stats.js';
import type { CommandBackendOptions, Endpoint, LabService, NodeMetrics, ServiceEvent } from './types.js';

/** How much of a command's output is kept for crash reports. */
const OUTPUT_TAIL = 4096;

/**
 * A user command as a backend: started in its own process group with PORT and HOST set,
 * ready once something accepts TCP on PORT, killed as a group on stop. An exit nobody
 * asked for is reported as a `crash` event, never thrown.
 */
export class CommandBackend implements LabService {
  readonly kind = 'command' as const;
  readonly nodeId: string;
  private readonly stats = new ServiceStats();
  private child: ChildProcess | undefined;
  private bound: Endpoint | undefined;
  private port: number | undefined;
  private output = '';
  private stopping = false;

  constructor(private readonly options: CommandBackendOptions) {
    this.nodeId = options.nodeId;
    this.port = options.port;
  }

  async start(): Promise<Endpoint> {
    if (this.bound !== undefined) return this.bound;
    const host = this.options.host ?? '127.0.0.1';
    this.port ??= await freePort(host);
    const port = this.port;
    this.output = '';
    this.stopping = false;
    const child = spawn('/bin/sh', ['-c', this.options.command], {
      cwd: this.options.cwd,
      env: { ...process.env, ...this.options.env, PORT: String(port), HOST: host },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited = false;
    child.once('exit', (code, signal) => {
      exited = true;
      const wasListening = this.bound !== undefined;
      this.bound = undefined;
      this.child = undefined;
      if (!this.stopping && wasListening) {
        this.emit({ type: 'crash', nodeId: this.nodeId, exitCode: code, signal, output: this.output });
      }
    });
    child.once('error', (err) => {
      keep(Buffer.from(`spawn failed: ${err.message}\n`));
    });
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 15_000);
    while (!exited) {
      if (await canConnect(host, port)) {
        this.bound = { host, port };
        this.emit({ type: 'listening', nodeId: this.nodeId, endpoint: this.bound });
        return this.bound;
      }
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const reason = exited ? 'exited before listening' : `did not listen on ${host}:${port} within the start timeout`;
    await this.stop();
    throw new Error(`${this.nodeId}: command ${reason}${this.output ? `; output: ${this.output.trim().slice(-500)}` : ''}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.stopping = true;
    const wasListening = this.bound !== undefined;
    this.bound = undefined;
    if (child !== undefined && child.pid !== undefined) {
      const pid = child.pid;
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
      await exited;
      // The shell may go first: wait until every process of the group is gone too.
      const deadline = Date.now() + 5000;
      while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
      clearTimeout(timer);
    }
    this.child = undefined;
    if (wasListening) this.emit({ type: 'stopped', nodeId: this.nodeId });
  }

  endpoint(): Endpoint | undefined {
    return this.bound;
  }

  /** The command's own traffic is invisible to the lab; only `listening` is meaningful. */
  metrics(): NodeMetrics {
    return this.stats.snapshot(this.nodeId, this.kind, this.bound !== undefined);
  }

  /** The last few KiB of the command's stdout and stderr. */
  outputTail(): string {
    return this.output;
  }

  private emit(event: ServiceEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A throwing listener must not break process supervision.
    }
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port that was free a moment ago (the command binds it itself). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
