import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../core/cli/program.js';
import type { CliStreams } from '../../../core/cli/streams.js';
import { renderExport } from '../../../core/export/index.js';
import { parseTopology } from '../../../core/model/load.js';
import { validateTopology } from '../../../core/validate/index.js';
import { fixture, ROOT } from './designs.js';

function formatFilesOf(files: readonly { path: string; content: string }[]): string {
  return files.map((f) => `==> ${f.path} <==\n${f.content}`).join('\n');
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const streams: CliStreams = { out: (t) => void (out += t), err: (t) => void (err += t), colour: false, exitCode: 0 };
  const code = await runCli(['node', 'topolab', ...args], streams);
  return { code, out, err };
}

const folder = mkdtempSync(join(tmpdir(), 'topolab-export-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const design = join(ROOT, 'test/fixtures/export/lb-web.topolab.json');

describe('topolab export', () => {
  it('refuses a Terraform export that AWS would refuse (a single-zone ALB) with exit 1 naming it, unless --force', async () => {
    const refused = await run('export', design, '--format', 'terraform');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/not exported: the design has 1 error/);
    expect(refused.err).toContain('web-lb: zones:');
  });

  it('prints every file under a header and the report on stderr (--force past the ALB error)', async () => {
    const { code, out, err } = await run('export', design, '--format', 'terraform', '--force');
    expect(code).toBe(0);
    const expected = renderExport(fixture('lb-web'), 'terraform');
    expect(out).toBe(expected.files.map((f) => `==> ${f.path} <==\n${f.content}`).join('\n'));
    expect(err).toMatch(/^terraform: \d+ expressed, \d+ approximated, \d+ not expressible, 1 design error \(exported with --force\)$/m);
    expect(err).toContain('not expressible web-lb: weights:');
  });

  it('--out writes the files (with folders) and leaves no temp file behind', async () => {
    const out = join(folder, 'compose');
    const result = await run('export', design, '--format', 'compose', '--out', out);
    expect(result.code).toBe(0);
    const expected = renderExport(fixture('lb-web'), 'compose');
    for (const file of expected.files) expect(readFileSync(join(out, file.path), 'utf8')).toBe(file.content);
    const written = readdirSync(out, { recursive: true }).map(String).sort();
    expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(result.out).toContain(`wrote ${join(out, 'compose.yaml')}`);
  });

  it('--json prints {files, report} on one line', async () => {
    const { code, out } = await run('export', design, '--format', 'nginx', '--json');
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(out)).toEqual(renderExport(fixture('lb-web'), 'nginx'));
  });

  it('--map and --map-file (the output of topolab up --json) replace designed addresses', async () => {
    const upOutput = join(folder, 'up.jsonl');
    writeFileSync(upOutput, `${JSON.stringify({ event: 'ready', endpoints: [{ id: 'web-1', address: '10.0.2.11:80', url: 'http://127.0.0.1:41001' }] })}\n{"event":"status"}\n`);
    const { code, out } = await run('export', design, '--format', 'nginx', '--map-file', upOutput, '--map', '10.0.1.10:80=127.0.0.1:8080', '--run-dir', '/tmp/run');
    expect(code).toBe(0);
    expect(out).toContain('server 127.0.0.1:41001 weight=3');
    expect(out).toContain('listen 127.0.0.1:8080;');
    expect(out).toContain('pid /tmp/run/nginx.pid;');
  });

  it('--listen loopback runs the export on 127.0.0.1 in front of the lab, at the ports given or from 8080', async () => {
    const upOutput = join(folder, 'lab.jsonl');
    const endpoints = [
      { id: 'web-1', address: '10.0.2.11:80', url: 'http://127.0.0.1:41001' },
      { id: 'web-2', address: '10.0.2.12:80', url: 'http://127.0.0.1:41002' },
      { id: 'app-asg#1', address: '10.0.3.4:8080', url: 'http://127.0.0.1:41003' },
      { id: 'app-asg#2', address: '10.0.2.4:8080', url: 'http://127.0.0.1:41004' },
      { id: 'db-1', address: '10.0.3.21:5432', url: 'http://127.0.0.1:41005' },
      { id: 'db-2', address: '10.0.3.22:5432', url: 'http://127.0.0.1:41006' },
      { id: 'web-lb', address: '10.0.1.10:80', url: 'http://127.0.0.1:41007' },
    ];
    writeFileSync(upOutput, `${JSON.stringify({ event: 'ready', endpoints })}\n`);
    const { code, out } = await run('export', design, '--format', 'haproxy', '--listen', 'loopback', '--listen-port', 'web-lb=18080', '--map-file', upOutput);
    expect(code).toBe(0);
    expect(out).toContain('bind 127.0.0.1:18080');
    // The node the lab runs too (web-lb) listens on its own port, never the lab's.
    expect(out).not.toContain('127.0.0.1:41007');
    expect(out).toContain('server web-1 127.0.0.1:41001');
    // db-lb got no port: the next free one from 8080.
    expect(out).toContain('bind 127.0.0.1:8080');
    expect(out).toMatch(/^# {3}db-lb -> 127\.0\.0\.1:8080$/m);
    expect(out).not.toMatch(/\b10\.0\.\d+\.\d+:\d+/);
  });

  it('--listen loopback refuses an export that would connect to a designed address, naming it (exit 2)', async () => {
    const { code, err } = await run('export', design, '--format', 'nginx', '--listen', 'loopback');
    expect(code).toBe(2);
    expect(err).toContain('no loopback endpoint for 10.0.2.11:80');
    expect(err).toContain('--map-file');
    expect((await run('export', design, '--format', 'nginx', '--listen-port', 'web-lb=1')).code).toBe(2);
    expect((await run('export', design, '--format', 'nginx', '--listen', 'loopback', '--listen-port', 'web-lb=99999')).code).toBe(2);
    expect((await run('export', design, '--format', 'nginx', '--listen', 'sideways')).code).toBe(2);
  });

  it('refuses a design with errors: exit 1, every error named with its node and fix, nothing written; --force exports it and the report lists them', async () => {
    const broken = join(ROOT, 'examples/broken-plan.topolab.json');
    const { diagnostics } = { diagnostics: validateTopology(parseTopology(readFileSync(broken, 'utf8'))).filter((d) => d.severity === 'error') };
    expect(diagnostics.length).toBeGreaterThan(1);
    const out = join(folder, 'refused');
    const refused = await run('export', broken, '--format', 'terraform', '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    // validate's errors and, joined to them, the one Terraform adds: lb-private's ALB in one zone.
    expect(refused.err).toContain(`not exported: the design has ${diagnostics.length + 1} errors`);
    for (const d of diagnostics) expect(refused.err).toContain(`${d.nodeIds[0]}: ${d.code}: ${d.message}`);
    expect(refused.err).toContain('lb-private: zones: application load balancer');
    expect(refused.err).toContain('what to do: Use 10.0.1.0/24 (host-bits.cidr)');
    expect(() => readdirSync(out)).toThrow();

    const json = await run('export', broken, '--format', 'nginx', '--json');
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out) as { files: unknown[]; report: { errors: { feature: string }[] } };
    expect(parsed.files).toEqual([]);
    expect(parsed.report.errors.map((e) => e.feature)).toEqual(diagnostics.map((d) => d.code));

    const forced = await run('export', broken, '--format', 'nginx', '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toBe(formatFilesOf(renderExport(parseTopology(readFileSync(broken, 'utf8')), 'nginx').files));
    expect(forced.err).toMatch(new RegExp(`^nginx: \\d+ expressed, \\d+ approximated, \\d+ not expressible, ${diagnostics.length} design errors \\(exported with --force\\)$`, 'm'));
    expect(forced.err).toContain('design error    host-bits: cidr-host-bits:');

    // A design without errors has no errors list and needs no --force.
    const clean = await run('export', design, '--format', 'nginx', '--json');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out)).not.toHaveProperty('report.errors');
  });

  it('says what to do on every approximated and not-expressible line of the nginx and HAProxy reports', async () => {
    for (const format of ['nginx', 'haproxy'] as const) {
      const { err } = await run('export', join(ROOT, 'test/fixtures/export/proxy-cache.topolab.json'), '--format', format);
      const lines = err.split('\n').slice(1).filter((l) => l !== '');
      expect(lines.length).toBeGreaterThan(0);
      for (let i = 0; i < lines.length; i += 2) {
        expect(lines[i], `${format} report line ${i}`).toMatch(/^ {2}(approximated {3}|not expressible) /);
        expect(lines[i + 1], `${format}: what to do after "${lines[i]}"`).toMatch(/^ {4}what to do: \S/);
      }
    }
  });

  it('refuses an unknown format, a bad --map and an unreadable file with exit 2', async () => {
    expect((await run('export', design, '--format', 'bind9')).code).toBe(2);
    expect((await run('export', design, '--format', 'nginx', '--map', 'web=1')).code).toBe(2);
    const missing = await run('export', join(folder, 'missing.topolab.json'), '--format', 'nginx');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
  });
});
