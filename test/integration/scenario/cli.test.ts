import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/api/contract/index.js';
import { createService } from '../../../core/api/service.js';
import { parseTopology } from '../../../core/model/load.js';
import { killAndWait, startScriptUntil } from '../../support/child-lines.js';
import { runTopolab } from '../../support/cli.js';

const EXAMPLE = new URL('../../../examples/nginx-two-backends.topolab.json', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'topolab-test-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function topolab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runTopolab(...args);
  return { code, stdout: out, stderr: err };
}

/** The example with its scenario shortened and given assertions of our choosing. */
function variant(name: string, assertions: unknown[]): string {
  const doc = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  doc.scenarios = [{ name: 'short', traffic: { to: 'nginx', rps: 40, concurrency: 2, durationSeconds: 1 }, events: [], assertions }];
  const path = join(dir, `${name}.topolab.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe('topolab test', () => {
  it('exits 0 and prints {passed, scenarios} when every assertion holds', async () => {
    const file = variant('pass', [{ type: 'success-rate', min: 1 }, { type: 'balanced', within: 0.2 }]);
    const run = await topolab('test', file, '--json');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(output.passed).toBe(true);
    expect(output.scenarios).toHaveLength(1);
    expect(output.scenarios[0]).toMatchObject({ scenario: 'short', passed: true, events: [] });
    expect(output.scenarios[0].assertions.map((a: { passed: boolean }) => a.passed)).toEqual([true, true]);
  });

  it('exits 1 and says what it saw when an assertion fails', async () => {
    const file = variant('fail', [{ type: 'share', server: 'backend-1', min: 0.95 }]);
    const run = await topolab('test', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL {2}backend-1 serves at least 95% of the traffic: backend-1 served \d+ of \d+/);
    expect(run.stdout).toMatch(/1 failed, 0 passed \(1 scenario\)/);
  });

  it('stops on SIGINT: the running lab is closed and no further scenario runs', async () => {
    const doc = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    doc.scenarios = ['first', 'second'].map((name) => ({ name, traffic: { to: 'nginx', rps: 20, concurrency: 1, durationSeconds: 30 }, events: [], assertions: [{ type: 'success-rate', min: 1 }] }));
    const path = join(dir, 'long.topolab.json');
    writeFileSync(path, JSON.stringify(doc));
    const main = decodeURIComponent(new URL('../../../core/cli/main.ts', import.meta.url).pathname);
    const { child } = await startScriptUntil(main, ['test', path], (line) => line.startsWith('first'));
    try {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.removeAllListeners('exit');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(output).toMatch(/interrupted after 0 of 2 scenarios/);
      expect(output).not.toMatch(/^second/m);
    } finally {
      await killAndWait(child);
    }
  });

  it('exits 2 for an unknown scenario, naming the ones there are', async () => {
    const run = await topolab('test', fileURLPath(EXAMPLE), '--scenario', 'nope');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no scenario "nope" \(it has "backend-failover"\)/);
  });

  it('exits 2 for an unreadable file and 0 with a note for a design without scenarios', async () => {
    expect((await topolab('test', join(dir, 'missing.topolab.json'))).code).toBe(2);
    const doc = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    delete doc.scenarios;
    const path = join(dir, 'none.topolab.json');
    writeFileSync(path, JSON.stringify(doc));
    const run = await topolab('test', path);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/no scenarios to run/);
  });
});

describe('user commands need consent', () => {
  const withCommand = (): ReturnType<typeof parseTopology> => {
    const topology = parseTopology(readFileSync(EXAMPLE, 'utf8'));
    const server = topology.nodes.find((n) => n.id === 'backend-1');
    if (server?.kind === 'server') server.command = `"${process.execPath}" -e "require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT, process.env.HOST)"`;
    return topology;
  };

  it('lab.start refuses a design with commands unless allowCommands, listing them', async () => {
    const service = createService();
    try {
      const refused = await service.call('lab.start', { topology: withCommand() }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).code).toBe('forbidden');
      expect((refused as ApiError).message).toMatch(/runs a command on this machine:\n {2}backend-1: /);
      expect((await service.call('lab.status', {})).state).toBe('idle');
      const started = await service.call('lab.start', { topology: withCommand(), allowCommands: true });
      expect(started.status.state).toBe('running');
    } finally {
      await service.close();
    }
  });

  it('the CLI refuses without --allow-commands and names the flag', async () => {
    const path = join(dir, 'command.topolab.json');
    writeFileSync(path, JSON.stringify(withCommand()));
    const run = await topolab('load', path, '--to', 'nginx', '-n', '10');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/pass --allow-commands to run them/);
    const allowed = await topolab('load', path, '--to', 'nginx', '-n', '10', '--allow-commands', '--json');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).requests).toBe(10);
  });
});

function fileURLPath(url: URL): string {
  return decodeURIComponent(url.pathname);
}
