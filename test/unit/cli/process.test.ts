import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

describe('topolab as a process', () => {
  // One real process proves the entry point wires argv, stdout, stderr and the exit code;
  // the in-process tests (commands.test.ts) cover the behaviour.
  it('prints --json on stdout and exits with the verdict', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'core/cli/main.ts', 'trace', 'examples/two-tier-web.topolab.json', '--from', 'visitor', '--to', 'app-a', '--json'],
      { cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(result.status).toBe(1);
    const parsed = JSON.parse(result.stdout) as { verdict: string; blockedBy: { nodeId: string } };
    expect(parsed.verdict).toBe('blocked');
    expect(parsed.blockedBy.nodeId).toBe('private-a');
    expect(result.stderr).toBe('');
  }, 30_000);

  // validate ends the process itself once its report is out (CliStreams.end): the exit code
  // it set and every byte it wrote must survive that.
  it('validate exits with its verdict and all of its output', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'validate', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    const broken = run(['examples/broken-plan.topolab.json', '--json']);
    expect(broken.status).toBe(1);
    const parsed = JSON.parse(broken.stdout) as { diagnostics: { severity: string }[] };
    expect(parsed.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(broken.stdout.endsWith(']}\n')).toBe(true);
    expect(broken.stderr).toBe('');
    const clean = run(['examples/two-tier-web.topolab.json']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/two-tier-web\.topolab\.json: /);
    expect(clean.stderr).toBe('');
  }, 30_000);
});
