import { afterAll, describe, expect, it } from 'vitest';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { exportDesigns } from './fixtures.js';
import { haproxyCheck, loopbackMap, nginxTest, STREAM_MODULE, tempDir } from './tools.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe.each(exportDesigns())('$name', ({ topology }) => {
  it('nginx -t accepts the nginx export (addresses mapped to 127.0.0.1)', async () => {
    const { dir, cleanup } = await tempDir('topolab-nginx-');
    cleanups.push(cleanup);
    const addressMap = await loopbackMap(topology);
    const { files } = renderNginx(topology, { addressMap, runDir: dir, nginxModules: [STREAM_MODULE] });
    const result = await nginxTest(dir, files[0]?.content ?? '');
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('haproxy -c accepts the HAProxy export', async () => {
    const { dir, cleanup } = await tempDir('topolab-haproxy-');
    cleanups.push(cleanup);
    const addressMap = await loopbackMap(topology);
    const { files, report } = renderHaproxy(topology, { addressMap, runDir: dir });
    const result = await haproxyCheck(dir, files[0]?.content ?? '');
    // -q prints nothing on success. A design with no proxy gives a config without a frontend,
    // which HAProxy parses but reports as "will not start" (exit 2); the report says so too.
    expect(result.output).toBe('');
    const hasListener = /^frontend /m.test(files[0]?.content ?? '');
    expect(result.code).toBe(hasListener ? 0 : 2);
    if (!hasListener) expect(report.notExpressible.map((e) => e.feature)).toContain('nothing-to-run');
  });
});
