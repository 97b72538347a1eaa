import { readdirSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import type { ExportOptions } from '../../../core/export/options.js';
import type { Topology } from '../../../core/model/types.js';
import { exportDesigns } from './fixtures.js';
import { freePort, haproxyCheck, loopbackMap, nginxTest, run, tempDir } from './tools.js';

/** Debian's nginx state folder: caches of an export without --run-dir go there (nginx -t creates them). */
const NGINX_STATE = '/var/lib/nginx';
const stateBefore = new Set(listState());
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  // Leave nginx's state folder as it was: drop the cache folders these checks made.
  for (const name of listState()) if (name.startsWith('topolab-') && !stateBefore.has(name)) rmSync(join(NGINX_STATE, name), { recursive: true, force: true });
});

function listState(): string[] {
  try {
    return readdirSync(NGINX_STATE);
  } catch {
    return [];
  }
}

/**
 * Loopback mode with free ports: `nginx -t` binds every listener, so the export must
 * listen where this machine can (which is what `--listen loopback` is for).
 */
async function loopbackOptions(topology: Topology): Promise<ExportOptions> {
  const addressMap = await loopbackMap(topology);
  const ports: Record<string, number> = {};
  for (const node of topology.nodes) if (node.kind === 'load-balancer' || node.kind === 'reverse-proxy' || node.kind === 'cache') ports[node.id] = await freePort();
  return { addressMap, listen: { mode: 'loopback', ports } };
}

/** Writes export files under `dir`, creating their folders. */
async function writeAll(dir: string, files: readonly { path: string; content: string }[]): Promise<void> {
  for (const f of files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    await writeFile(join(dir, f.path), f.content);
  }
}

describe.each(exportDesigns())('$name', ({ topology }) => {
  it('nginx -t accepts the nginx export as installed: without -p, with -p, and with a run folder', async () => {
    const { dir, cleanup } = await tempDir('topolab-nginx-');
    cleanups.push(cleanup);
    const options = await loopbackOptions(topology);
    const rendered = renderNginx(topology, options);
    const plain = rendered.files[0]?.content ?? '';
    const file = join(dir, 'plain.conf');
    await writeFile(file, plain);
    // The export as installed: its other files (a gateway's secret placeholders) next to the config.
    await writeAll(dir, rendered.files.slice(1));
    for (const args of [['-t', '-q', '-c', file], ['-t', '-q', '-p', dir, '-c', file]]) {
      const result = await run('nginx', args);
      expect(result.output, `nginx ${args.join(' ')}`).toBe('');
      expect(result.code).toBe(0);
    }
    const withRunDir = renderNginx(topology, { ...options, runDir: dir }).files[0]?.content ?? '';
    const result = await nginxTest(dir, withRunDir);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
    // The header says what the file needs.
    if (/^stream \{/m.test(plain)) expect(plain).toMatch(/^# Needs the stream module, loaded below from \/usr\/lib\/nginx\/modules\/ngx_stream_module\.so/m);
    if (/proxy_cache_path/.test(plain)) expect(plain).toMatch(/^# Needs write access to \/var\/lib\/nginx \(cache files\)/m);
  });

  it('haproxy -c accepts the HAProxy export', async () => {
    const { dir, cleanup } = await tempDir('topolab-haproxy-');
    cleanups.push(cleanup);
    const { files, report } = renderHaproxy(topology, { ...(await loopbackOptions(topology)), runDir: dir });
    await writeAll(dir, files.slice(1));
    const result = await haproxyCheck(dir, files[0]?.content ?? '');
    // -q prints nothing on success. A design with no proxy gives a config without a frontend,
    // which HAProxy parses but reports as "will not start" (exit 2); the report says so too.
    expect(result.output).toBe('');
    const hasListener = /^frontend /m.test(files[0]?.content ?? '');
    expect(result.code).toBe(hasListener ? 0 : 2);
    if (!hasListener) expect(report.notExpressible.map((e) => e.feature)).toContain('nothing-to-run');
  });
});
