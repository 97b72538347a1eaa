import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../../core/export/index.js';
import { runningLabOf } from '../../../core/runtime/kernel/exec.js';
import { labsRoot } from '../../../core/runtime/kernel/registry.js';
import { findTool } from '../../../core/runtime/kernel/tools.js';
import { runTopolab } from '../../support/cli.js';
import { servicesClosedAfterEach } from '../lab/helpers.js';
import { design, designPath, kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel lab engine tests');
const service = servicesClosedAfterEach();
const topology = design('examples/two-tier-web.topolab.json');

describe.skipIf(!supported)('--engine nginx|haproxy: the exported file runs in the balancer\'s namespace, unchanged', () => {
  it.each(['nginx', 'haproxy'] as const)('%s balances the visitor\'s requests over both servers, at the designed address', { timeout: 120_000 }, async (engine) => {
    if (!findTool(engine)) {
      console.log(`engine test: ${engine} is not installed here; skipped`);
      return;
    }
    const api = service();
    await api.call('lab.start', { topology, mode: 'netns', engine });
    const load = await api.call('lab.load', { from: 'visitor', to: 'web-lb', requests: 40, concurrency: 4 });
    expect(load.status).toEqual({ '200': 40 });
    expect(load.byServer).toEqual({ 'app-a': 20, 'app-b': 20 });
    const one = await api.call('lab.request', { from: 'visitor', to: 'web-lb' });
    // The built-in balancer adds `via: 1.1 web-lb`; the exported configs do not, and nginx names itself.
    expect(one.headers['via']).toBeUndefined();
    if (engine === 'nginx') expect(one.headers['server']).toBe('nginx');
    expect(JSON.parse(one.body)).toMatchObject({ headers: { 'x-forwarded-for': '203.0.113.10' }, remoteAddress: '10.0.0.10' });
    // What runs is the export itself, byte for byte.
    const file = engine === 'nginx' ? 'nginx.conf' : 'haproxy.cfg';
    const record = runningLabOf(topology);
    expect(readFileSync(path.join(labsRoot(), record?.labId ?? '', file), 'utf8')).toBe(renderExport(topology, engine).files.find((f) => f.path === file)?.content);
  });

  it('refuses an engine without the kernel lab', async () => {
    const run = await runTopolab('up', designPath('examples/two-tier-web.topolab.json'), '--engine', 'nginx');
    expect(run).toMatchObject({ code: 2, err: 'topolab: --engine nginx needs --mode netns\n' });
  });
});
