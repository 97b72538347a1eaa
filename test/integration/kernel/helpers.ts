import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { execInLab, runningLabOf } from '../../../core/runtime/kernel/exec.js';
import { kernelLabSupport } from '../../../core/runtime/kernel/support.js';

/** Whether this machine runs the kernel lab; when not, the suite prints why and skips. */
export async function kernelLabOrSkip(suite: string): Promise<boolean> {
  const support = await kernelLabSupport();
  if (!support.ok) console.log(`${suite}: skipped, ${support.reason}`);
  return support.ok;
}

/** Absolute path of a design in the repository. */
export function designPath(path: string): string {
  return fileURLToPath(new URL(`../../../${path}`, import.meta.url));
}

/** A design of the repository, parsed. */
export function design(path: string): Topology {
  return parseTopology(readFileSync(designPath(path), 'utf8'));
}

/** Runs a command in a node's namespace of the running kernel lab of `topology`; its exit code and output. */
export async function inNode(topology: Topology, node: string, ...command: string[]): Promise<{ code: number; out: string; err: string }> {
  const record = runningLabOf(topology);
  if (!record) throw new Error('no kernel lab of this design runs');
  let out = '';
  let err = '';
  const code = await execInLab(record, node, command, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** `curl` inside a node: status code and body, or curl's exit code when no response came. */
export async function curlFrom(topology: Topology, node: string, url: string, seconds = 2): Promise<{ code: number; status: number; body: string }> {
  const run = await inNode(topology, node, 'curl', '-s', '-m', String(seconds), '-o', '-', '-w', '\n%{http_code}', url);
  const lines = run.out.split('\n');
  const status = Number(lines.pop());
  return { code: run.code, status, body: lines.join('\n') };
}
