import { spawn } from 'node:child_process';

/** Whether the kernel lab can run here, and if not, one line saying why and what to do. */
export type KernelSupport = { ok: true } | { ok: false; reason: string };

/** Programs the kernel lab drives (util-linux, iproute2, nftables). */
const TOOLS: { name: string; args: string[]; package: string }[] = [
  { name: 'unshare', args: ['--version'], package: 'util-linux' },
  { name: 'nsenter', args: ['--version'], package: 'util-linux' },
  { name: 'ip', args: ['-V'], package: 'iproute2' },
  { name: 'tc', args: ['-V'], package: 'iproute2' },
  { name: 'nft', args: ['--version'], package: 'nftables' },
];

let cached: Promise<KernelSupport> | undefined;

/**
 * Checks, once per process, that this machine can run the kernel lab: Linux, the tools
 * above, and a user namespace this user may create with a network namespace inside (the
 * way the lab runs without root). Never throws.
 */
export function kernelLabSupport(): Promise<KernelSupport> {
  cached ??= check();
  return cached;
}

async function check(): Promise<KernelSupport> {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `--mode netns needs Linux network namespaces; this is ${process.platform === 'darwin' ? 'macOS' : process.platform}: use the loopback lab (the default mode)` };
  }
  for (const tool of TOOLS) {
    const result = await run(tool.name, tool.args);
    if (result.error) return { ok: false, reason: `--mode netns needs \`${tool.name}\` (package ${tool.package}), which is not installed: install it, or use the loopback lab` };
  }
  const probe = await run('unshare', ['--user', '--map-root-user', '--net', '--mount', '--pid', '--fork', '--', 'ip', 'link', 'add', 'name', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']);
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
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => resolve({ code: null, stderr, error }));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}
