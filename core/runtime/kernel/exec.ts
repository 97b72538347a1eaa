import { spawn } from 'node:child_process';
import type { Topology } from '../../model/types.js';
import { designHash } from './design-hash.js';
import { isAlive, isLive, listRecords, type LabRecord } from './registry.js';
import { enterArgs } from './sandbox.js';
import { labPath, tool } from './tools.js';

/** Why a command cannot run in a lab's namespace; `code` 1: no such lab, 2: no such node. */
export class ExecError extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

/** The most recent running kernel lab of this design (same nodes and edges), of this user. */
export function runningLabOf(topology: Topology): LabRecord | undefined {
  const hash = designHash(topology);
  return listRecords()
    .map((r) => r.record)
    .filter((r): r is LabRecord => r !== undefined && r.design === hash && isLive(r) && isAlive(r.holderPid, r.holderStart))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * Runs a command inside one node's network namespace of a running kernel lab (as the
 * lab's user, in its mount namespace, so the node's sockets, routes and ephemeral port
 * range apply), standard input passed through. Resolves with its exit code (128 + signal
 * when killed by one).
 */
export function execInLab(record: LabRecord, nodeId: string, command: readonly string[], io: { out(text: string): void; err(text: string): void }): Promise<number> {
  const ns = record.namespaces[nodeId];
  if (ns === undefined) {
    const known = Object.keys(record.namespaces).sort();
    throw new ExecError(`"${nodeId}" has no namespace in the running lab; nodes that have one: ${known.join(', ') || 'none'}`, 2);
  }
  const [program, ...args] = command;
  if (program === undefined) throw new ExecError('give the command to run after --', 2);
  return new Promise((resolve, reject) => {
    const child = spawn(tool('nsenter'), [...enterArgs(String(record.holderPid), ns), `--wd=${process.cwd()}`, '--', program, ...args], { stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, PATH: labPath() } });
    child.stdout?.on('data', (chunk: Buffer) => io.out(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => io.err(chunk.toString()));
    child.once('error', (error) => reject(new ExecError(`cannot run nsenter: ${error.message}`, 1)));
    child.once('close', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return signal ? (numbers[signal] ?? 0) : 0;
}
