import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../core/cli/program.js';
import type { CliStreams } from '../../../core/cli/streams.js';
import { renderExport } from '../../../core/export/index.js';
import { fixture, ROOT } from './designs.js';

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
  it('prints every file under a header and the report on stderr', async () => {
    const { code, out, err } = await run('export', design, '--format', 'terraform');
    expect(code).toBe(0);
    const expected = renderExport(fixture('lb-web'), 'terraform');
    expect(out).toBe(expected.files.map((f) => `==> ${f.path} <==\n${f.content}`).join('\n'));
    expect(err).toMatch(/^terraform: \d+ expressed, \d+ approximated, \d+ not expressible$/m);
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

  it('refuses an unknown format, a bad --map and an unreadable file with exit 2', async () => {
    expect((await run('export', design, '--format', 'bind9')).code).toBe(2);
    expect((await run('export', design, '--format', 'nginx', '--map', 'web=1')).code).toBe(2);
    const missing = await run('export', join(folder, 'missing.topolab.json'), '--format', 'nginx');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
  });
});
