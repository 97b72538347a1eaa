// The exported nginx and HAProxy configs in front of the live lab's own backends, wired the
// way docs/export.md tells a user to: the address map comes from the lab's endpoint table
// (what `topolab up --json` prints), and the balancer nginx/HAProxy replaces gets its own port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { parseAddressMap } from '../../../core/export/address-map.js';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { TopologySchema } from '../../../core/model/schema.js';
import { freePort, get, startTool, STREAM_MODULE, tempDir, type Running } from './tools.js';

const design = TopologySchema.parse({
  schema: 'topolab/1',
  name: 'export in front of the lab',
  nodes: [
    { id: 'vpc', kind: 'vpc', cidr: '10.60.0.0/16' },
    { id: 'net', kind: 'subnet', parent: 'vpc', cidr: '10.60.1.0/24' },
    { id: 'lb', kind: 'load-balancer', parent: 'net', ip: '10.60.1.10', algorithm: 'round-robin', healthCheck: { path: '/', intervalMs: 200, fall: 1, rise: 1 } },
    { id: 'app-1', kind: 'server', parent: 'net', ip: '10.60.1.11' },
    { id: 'app-2', kind: 'server', parent: 'net', ip: '10.60.1.12' },
    { id: 'app-3', kind: 'server', parent: 'net', ip: '10.60.1.13' },
  ],
  edges: ['app-1', 'app-2', 'app-3'].map((to) => ({ id: `lb-${to}`, from: 'lb', to })),
});

describe.each(['nginx', 'haproxy'] as const)('%s from the export balances the live lab', (tool) => {
  let service: TopolabService;
  let running: Running | undefined;
  let port: number;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    service = createService();
    const { endpoints } = await service.call('lab.start', { topology: design });
    const parsed = parseAddressMap({ event: 'ready', endpoints });
    if (!parsed.ok) throw new Error(parsed.message);
    port = await freePort();
    const addressMap = { ...parsed.map, '10.60.1.10:80': `127.0.0.1:${port}` };
    const temp = await tempDir(`topolab-lab-${tool}-`);
    cleanup = temp.cleanup;
    const options = { addressMap, runDir: temp.dir, nginxModules: [STREAM_MODULE] };
    const config = (tool === 'nginx' ? renderNginx(design, options) : renderHaproxy(design, options)).files[0]?.content ?? '';
    running = await startTool(tool, temp.dir, config, port);
  });

  afterAll(async () => {
    await running?.stop();
    await service?.close();
    await cleanup?.();
  });

  async function spread(n: number): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const reply = await get(port);
      expect(reply.status).toBe(200);
      const server = String(reply.headers['x-served-by']);
      counts[server] = (counts[server] ?? 0) + 1;
    }
    return counts;
  }

  it('spreads requests evenly over the lab servers', async () => {
    expect(await spread(30)).toEqual({ 'app-1': 10, 'app-2': 10, 'app-3': 10 });
  });

  it('avoids a server stopped in the lab', async () => {
    await service.call('lab.inject', { nodeId: 'app-2', action: 'stop' });
    const counts = await spread(20);
    expect(counts['app-2']).toBeUndefined();
    expect((counts['app-1'] ?? 0) + (counts['app-3'] ?? 0)).toBe(20);
  });
});
