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
    const { files } = renderHaproxy(topology, { addressMap, runDir: dir });
    const result = await haproxyCheck(dir, files[0]?.content ?? '');
    // -q prints nothing on success; a config that parses but has no listener exits 2.
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
