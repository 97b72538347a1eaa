import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createLabDir, processStart, writeRecord, type LabRecord } from './registry.js';
import { labPath, tool } from './tools.js';

/**
 * The lab's own corner of the kernel: one user + mount + network + PID namespace made by
 * `unshare` (no root needed where unprivileged user namespaces are allowed; as root the
 * same, so nothing of the lab appears in the host's `ip netns`). Its first process (the
 * holder) mounts a private tmpfs on /run so `ip netns` works inside, hides the host's
 * resolver configuration, and waits on its stdin: when the lab's process closes it, or
 * dies, the holder exits and the kernel ends every process of the PID namespace, which
 * frees every namespace, interface, route and rule of the lab at once.
 */

const HOLDER_SCRIPT = [
  'mount -t tmpfs -o mode=0755 topolab /run',
  'mkdir /run/netns',
  // Nothing in the lab may ask the host's resolver: an empty resolv.conf points at 127.0.0.1 inside each namespace.
  '(mount --bind /dev/null /etc/resolv.conf 2>/dev/null || true)',
  // nginx (--engine nginx) writes logs, temporary files and caches to compiled-in folders: the lab's own, empty ones.
  '(for d in /var/log/nginx /var/lib/nginx /var/cache/nginx; do [ -d $d ] && mount -t tmpfs -o mode=0755 topolab $d; done; true)',
  'echo ready',
  'read _ || true',
].join(' && ');

/** Why a sandbox command failed: the command's own stderr, cut to its last lines. */
export class SandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxError';
  }
}

export class KernelSandbox {
  private closed = false;

  private constructor(
    readonly labId: string,
    readonly dir: string,
    private readonly unshare: ChildProcess,
    readonly holderPid: number,
    private readonly record: LabRecord,
  ) {}

  /** Creates the lab's namespaces' root and records it; rejects with the reason `unshare` gave. */
  static async create(options: { file?: string } = {}): Promise<KernelSandbox> {
    const labId = `tl${randomBytes(4).toString('hex')}`;
    const dir = createLabDir(labId);
    const unshare = spawn(tool('unshare'), ['--user', '--map-root-user', '--net', '--mount', '--pid', '--fork', '--kill-child', '--propagation', 'private', '--', 'sh', '-c', HOLDER_SCRIPT], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      await untilLine(unshare, 'ready', 10_000);
    } catch (error) {
      unshare.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const holderPid = childOf(unshare.pid as number);
    const record: LabRecord = {
      labId,
      pid: process.pid,
      pidStart: processStart(process.pid) ?? '',
      unsharePid: unshare.pid as number,
      holderPid,
      holderStart: processStart(holderPid) ?? '',
      namespaces: {},
      createdAt: new Date().toISOString(),
      ...(options.file !== undefined ? { file: options.file } : {}),
    };
    writeRecord(dir, record);
    return new KernelSandbox(labId, dir, unshare, holderPid, record);
  }

  /** Records which namespace each node lives in, and which design runs (for `topolab exec`). */
  recordNamespaces(namespaces: Record<string, string>, design: string): void {
    this.record.namespaces = namespaces;
    this.record.design = design;
    writeRecord(this.dir, this.record);
  }

  /** The `nsenter` arguments that enter the lab (and, with `ns`, one of its network namespaces). */
  enterArgs(ns?: string): string[] {
    const pid = String(this.holderPid);
    return enterArgs(pid, ns);
  }

  /** Runs a shell script inside the lab (its user and mount namespaces); rejects with its stderr. */
  run(script: string, label: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(tool('nsenter'), [...this.enterArgs(), '--', 'sh', '-e', '-s'], { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, PATH: labPath() } });
      let errors = '';
      child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
      child.on('error', (error) => reject(new SandboxError(`${label}: ${error.message}`)));
      child.on('exit', (code, signal) => {
        if (code === 0) resolve();
        else reject(new SandboxError(`${label} failed (${signal ?? `exit ${code}`}): ${errors.trim().split('\n').slice(-6).join('; ') || 'no output'}`));
      });
      child.stdin?.end(script);
    });
  }

  /** Starts a process in one network namespace of the lab. */
  spawnIn(ns: string, command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
    // Entering a mount namespace moves to its root: keep the caller's working folder.
    return spawn(tool('nsenter'), [...this.enterArgs(ns), `--wd=${process.cwd()}`, '--', command, ...args], { ...options, env: { ...(options.env ?? process.env), PATH: labPath() } });
  }

  /** A path inside the lab's folder (scripts, sockets). */
  file(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** Ends the lab: the holder exits, the kernel ends every process and namespace of it; the folder goes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<void>((resolve) => {
      if (this.unshare.exitCode !== null || this.unshare.signalCode !== null) resolve();
      else this.unshare.once('exit', () => resolve());
    });
    this.unshare.stdin?.end();
    const timer = setTimeout(() => this.unshare.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `nsenter` arguments that join a lab by its holder's pid, and one network namespace when given. */
export function enterArgs(holderPid: string, ns?: string): string[] {
  // Without a namespace: the holder's own (empty) network namespace, so tools that step into
  // another one and back (`ip netns add`) return to a namespace the lab owns. A namespace file
  // lives in the lab's own /run, seen from outside through the holder's root.
  const net = ns === undefined ? '--net' : `--net=/proc/${holderPid}/root/run/netns/${ns}`;
  return ['-t', holderPid, '--user', '--mount', '--pid', net, '--preserve-credentials'];
}

function childOf(pid: number): number {
  // `unshare --fork` has exactly one child: the holder.
  let text = '';
  try {
    text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  } catch {
    // handled below
  }
  const child = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isInteger(child) || child <= 0) throw new SandboxError('could not find the lab holder process');
  return child;
}

function untilLine(child: ChildProcess, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let errors = '';
    const timer = setTimeout(() => finish(new SandboxError(`the lab's namespaces did not come up within ${timeoutMs} ms${errors ? `: ${errors.trim()}` : ''}`)), timeoutMs);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      if (error) reject(error);
      else resolve();
    };
    const onOut = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.split('\n').includes(line)) finish();
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
    child.once('error', (error) => finish(new SandboxError(`cannot start unshare: ${error.message}`)));
    child.once('exit', (code) => finish(new SandboxError(`unshare exited (${code}) before the lab was ready: ${errors.trim() || 'no output'}`)));
  });
}
