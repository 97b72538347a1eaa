import { spawn } from 'node:child_process';
import { findTool, labPath, tool } from './tools.js';

/** Whether the kernel lab can run here, and if not, one line saying why and what to do. */
export type KernelSupport = { ok: true } | { ok: false; reason: string };

/** Programs the kernel lab drives (util-linux, iproute2, nftables). */
const TOOLS: { name: string; package: string }[] = [
  { name: 'unshare', package: 'util-linux' },
  { name: 'nsenter', package: 'util-linux' },
  { name: 'ip', package: 'iproute2' },
  { name: 'tc', package: 'iproute2' },
  { name: 'nft', package: 'nftables' },
];

let cached: Promise<KernelSupport> | undefined;

/**
 * Checks, once per process, that this machine can run the kernel lab: Linux, the tools
 * above, and a user namespace this user may create with a network namespace inside (the
 * way the lab runs without root). Never throws.
 */
export function kernelLabSupport(): Promise<KernelSupport> {
  cached ??= checkKernelSupport();
  return cached;
}

/** The check itself, uncached; tests give another platform or a stand-in `unshare`. */
export async function checkKernelSupport(options: { platform?: NodeJS.Platform; unshare?: string } = {}): Promise<KernelSupport> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'linux') {
    const name = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform;
    return { ok: false, reason: `--mode netns needs Linux network namespaces; this is ${name}: use the loopback lab (the default mode)` };
  }
  for (const needed of TOOLS) {
    if (findTool(needed.name) === undefined) return { ok: false, reason: `--mode netns needs \`${needed.name}\` (package ${needed.package}), which is not installed: install it, or use the loopback lab` };
  }
  const probe = await run(options.unshare ?? tool('unshare'), ['--user', '--map-root-user', '--net', '--mount', '--pid', '--fork', '--', tool('ip'), 'link', 'add', 'name', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']);
  if (probe.code !== 0) {
    return {
      ok: false,
      reason: `--mode netns needs unprivileged user namespaces, which this kernel refuses (${probe.stderr.trim().split('\n')[0] || `exit ${probe.code}`}): allow them (sysctl kernel.unprivileged_userns_clone=1, or user.max_user_namespaces > 0; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0) or use the loopback lab`,
    };
  }
  return { ok: true };
}

function run(command: string, args: string[]): Promise<{ code: number | null; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PATH: labPath() } });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => resolve({ code: null, stderr, error }));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}
