// The Squid configuration the Compose export writes for a forward proxy, run by real Squid
// on 127.0.0.1: allowed destinations are proxied, the deny list and link-local addresses
// are refused with 403 before any connection is made, anything else is refused too.
import { chmod } from 'node:fs/promises';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSquidConf } from '../../../core/export/compose/squid.js';
import { DesignView } from '../../../core/export/design.js';
import { ReportBuilder } from '../../../core/export/report.js';
import { TopologySchema } from '../../../core/model/schema.js';
import type { ForwardProxyNode } from '../../../core/model/types.js';
import { freePort, startBackend, startTool, tempDir, type Backend, type Running } from './tools.js';

const design = TopologySchema.parse({
  schema: 'topolab/1',
  name: 'squid check',
  nodes: [
    { id: 'vpc', kind: 'vpc', cidr: '10.80.0.0/16' },
    { id: 'net', kind: 'subnet', parent: 'vpc', cidr: '10.80.1.0/24' },
    { id: 'egress', kind: 'forward-proxy', parent: 'net', ip: '10.80.1.5', port: 3128, allow: ['127.0.0.1', '*.allowed.test'], deny: ['127.0.0.2/32'] },
  ],
});

/** One request through the proxy in absolute form (as a browser configured with the proxy sends it). */
function viaProxy(proxyPort: number, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: '127.0.0.1', port: proxyPort, path: url, agent: false, headers: { host: target.host, connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('Squid runs the forward-proxy export', () => {
  let squid: Running | undefined;
  let origin: Backend;
  let proxyPort: number;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    origin = await startBackend('origin');
    proxyPort = await freePort();
    const temp = await tempDir('topolab-squid-live-');
    cleanup = temp.cleanup;
    // Squid drops root for its own user, which must write its logs in the run folder.
    await chmod(temp.dir, 0o1777);
    const view = new DesignView(design);
    const node = view.index.nodeOfKind('egress', 'forward-proxy') as ForwardProxyNode;
    const config = renderSquidConf(view, node, new ReportBuilder('compose'), { addressMap: { '10.80.1.5:3128': `127.0.0.1:${proxyPort}` }, runDir: temp.dir });
    squid = await startTool('squid', temp.dir, config ?? '', proxyPort);
  });

  afterAll(async () => {
    await squid?.stop();
    await origin?.stop();
    await cleanup?.();
  });

  it('proxies an allowed destination', async () => {
    const before = origin.hits;
    expect(await viaProxy(proxyPort, `http://127.0.0.1:${origin.port}/ok`)).toBe(200);
    expect(origin.hits).toBe(before + 1);
  });

  it('refuses the deny list, link-local addresses and anything not allowed with 403', async () => {
    expect(await viaProxy(proxyPort, `http://127.0.0.2:${origin.port}/`)).toBe(403);
    expect(await viaProxy(proxyPort, 'http://169.254.169.254/latest/meta-data/')).toBe(403);
    expect(await viaProxy(proxyPort, `http://127.0.0.3:${origin.port}/`)).toBe(403);
  });
});
