// HTTPS to upstreams (`tls.upstream`) in the exports, checked with the real tools: nginx and
// HAProxy started from the export stand where the design's balancer and cache stand, in front
// of the lab's own TLS upstreams (two reverse proxies with HTTPS listeners), and answer as the
// lab does: which server served, over a TLS hop (the proxy saw X-Forwarded-Proto https on its
// HTTPS port). Pointed at the TLS listeners of a lab whose CA is another one, both refuse,
// as the lab does (502). Terraform: the target group speaks HTTPS, terraform validate agrees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAddressMap } from '../../../core/export/address-map.js';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { parseTopology } from '../../../core/model/load.js';
import { TLS_FILES } from '../../../core/model/tls-hosts.js';
import { Lab } from '../../../core/runtime/lab/lab.js';
import { createRealService } from '../../../core/runtime/lab/services.js';
import { freePort, get, haproxyCheck, nginxTest, startTool, STREAM_MODULE, tempDir, type Running } from './tools.js';

const design = parseTopology(readFileSync(new URL('../../fixtures/lab/tls-upstream.topolab.json', import.meta.url), 'utf8'));
/** The exported nodes: the balancer (with its own HTTPS listener) and the cache (listener off). */
const FRONT = new Set(['lb', 'cache']);
const FRONT_ADDRESSES = ['10.0.1.10:80', '10.0.1.10:443', '10.0.1.30:80'];
/** The upstreams' designed HTTPS endpoints (tls.port 8443). */
const UPSTREAM_TLS = { app1: '10.0.2.20:8443', app2: '10.0.2.21:8443' } as const;

interface Served {
  status: number;
  node?: string;
  proto?: string;
  port?: string;
}

async function served(port: number, path: string): Promise<Served> {
  const reply = await get(port, path);
  if (reply.status !== 200) return { status: reply.status };
  const body = JSON.parse(reply.body) as { node: string; headers: Record<string, string> };
  return { status: reply.status, node: body.node, proto: body.headers['x-forwarded-proto'], port: body.headers['x-forwarded-port'] };
}

function httpsPort(lab: Lab, id: string): string {
  return new URL(lab.endpoints().find((e) => e.id === id)?.httpsUrl ?? 'https://x:0').port;
}

describe('HTTPS to upstreams in the nginx and HAProxy exports', () => {
  let dir: string;
  let otherDir: string;
  let cleanup: Array<() => Promise<void>> = [];
  let lab: Lab;
  let foreign: Lab;

  beforeAll(async () => {
    const a = await tempDir('topolab-tls-up-export-');
    const b = await tempDir('topolab-tls-up-foreign-');
    dir = a.dir;
    otherDir = b.dir;
    cleanup = [a.cleanup, b.cleanup];
    lab = new Lab(design, { createService: createRealService, projectFolder: dir });
    await lab.start();
    // The same design in another folder: another CA signed its upstreams' certificates.
    foreign = new Lab(design, { createService: createRealService, projectFolder: otherDir });
    await foreign.start();
  });
  afterAll(async () => {
    await lab?.stop();
    await foreign?.stop();
    for (const clean of cleanup) await clean();
  });

  /**
   * The address map: read from `upstreams`' endpoint table as `topolab up --json` prints it
   * (the upstreams' designed HTTPS endpoints included), the front moved to free ports.
   */
  async function addressMap(upstreams: Lab): Promise<{ map: Record<string, string>; ports: Record<string, number> }> {
    const parsed = parseAddressMap({ event: 'ready', endpoints: upstreams.endpoints() });
    if (!parsed.ok) throw new Error(parsed.message);
    const map = parsed.map;
    for (const [id, designed] of Object.entries(UPSTREAM_TLS)) expect(map[designed]).toBe(`127.0.0.1:${httpsPort(upstreams, id)}`);
    const ports: Record<string, number> = {};
    for (const designed of FRONT_ADDRESSES) {
      ports[designed] = await freePort();
      map[designed] = `127.0.0.1:${ports[designed]}`;
    }
    return { map, ports };
  }

  function render(tool: 'nginx' | 'haproxy', map: Record<string, string>): string {
    const options = { addressMap: map, runDir: dir, certDir: join(dir, TLS_FILES.certsDir), nginxModules: [STREAM_MODULE], onlyNodes: FRONT };
    return (tool === 'nginx' ? renderNginx(design, options) : renderHaproxy(design, options)).files[0]!.content;
  }

  it('writes verified HTTPS upstreams that nginx -t and haproxy -c accept', async () => {
    const { map } = await addressMap(lab);
    const ca = join(dir, TLS_FILES.caCert);
    const nginx = render('nginx', map);
    expect(nginx).toContain('proxy_pass https://lb;');
    for (const line of ['proxy_ssl_verify on;', `proxy_ssl_trusted_certificate ${ca};`, 'proxy_ssl_server_name on;', 'proxy_ssl_protocols TLSv1.2 TLSv1.3;', 'keepalive 32;']) expect(nginx).toContain(line);
    // The cache's pool is app1 alone: its own name, as the lab sends it.
    expect(nginx).toContain('proxy_ssl_name app.internal;');
    expect(nginx).toContain(`server 127.0.0.1:${httpsPort(lab, 'app1')}`);
    const tested = await nginxTest(dir, nginx);
    expect(tested.code, tested.output).toBe(0);
    const haproxy = render('haproxy', map);
    expect(haproxy).toContain(`ssl verify required ca-file ${ca} sni str(app.internal) ssl-min-ver TLSv1.2 alpn http/1.1 check-ssl check-sni app.internal`);
    expect(haproxy).toContain('sni str(app2.internal)');
    // nginx sends one name per location: the balancer's pool uses the name both upstreams certify, and says so.
    expect(new Set([...nginx.matchAll(/proxy_ssl_name (\S+);/g)].map((m) => m[1]))).toEqual(new Set(['app.internal']));
    const options = { addressMap: map, certDir: join(dir, TLS_FILES.certsDir), onlyNodes: FRONT };
    const report = renderNginx(design, options).report;
    expect(report.approximated.find((e) => e.nodeId === 'lb' && e.feature === 'tls-upstream')?.detail).toMatch(/one SNI name per location: app\.internal, which every upstream certifies/);
    const checked = await haproxyCheck(dir, haproxy);
    expect(checked.code, checked.output).toBe(0);
  });

  describe.each(['nginx', 'haproxy'] as const)('%s in front of the lab TLS upstreams', (tool) => {
    let running: Running | undefined;
    let ports: Record<string, number>;

    beforeAll(async () => {
      const mapped = await addressMap(lab);
      ports = mapped.ports;
      running = await startTool(tool, dir, render(tool, mapped.map), ports['10.0.1.30:80']!);
    });
    afterAll(async () => {
      await running?.stop();
    });

    it('serves what the lab serves, over a TLS hop to each upstream', async () => {
      const lbPort = Number(new URL(lab.endpoints().find((e) => e.id === 'lb')!.url).port);
      const cachePort = Number(new URL(lab.endpoints().find((e) => e.id === 'cache')!.url).port);
      const expectedPort = { web1: httpsPort(lab, 'app1'), web2: httpsPort(lab, 'app2') } as Record<string, string>;
      for (const [label, labPort, exportedPort] of [
        ['balancer', lbPort, ports['10.0.1.10:80']!],
        ['cache', cachePort, ports['10.0.1.30:80']!],
      ] as const) {
        const nodes = { lab: new Set<string>(), exported: new Set<string>() };
        for (let i = 0; i < 6; i++) {
          const path = `/${label}/${i}`;
          for (const [side, port] of [
            ['lab', labPort],
            ['exported', exportedPort],
          ] as const) {
            const answer = await served(port, path);
            expect(answer.status, `${side} ${label} ${path}`).toBe(200);
            expect(answer.proto).toBe('https');
            expect(answer.port).toBe(expectedPort[answer.node ?? '']);
            nodes[side].add(answer.node ?? '');
          }
        }
        expect([...nodes.exported].sort()).toEqual([...nodes.lab].sort());
      }
    });
  });

  describe('in front of upstreams whose certificates another CA signed', () => {
    const tools: Running[] = [];
    const services: Array<{ stop(): Promise<void> }> = [];
    afterAll(async () => {
      for (const running of tools) await running.stop();
      for (const service of services) await service.stop();
    });

    it('refuse them as the lab does: 502 per request, 503 once active checks took every server out', async () => {
      const { createL7Balancer, createCache } = await import('../../../core/runtime/services/index.js');
      const { readFile } = await import('node:fs/promises');
      // The lab's side: its balancer and cache as the lab builds them (lab.ts cannot aim them at another lab),
      // trusting this project's CA, at the other lab's TLS listeners with the names the lab sends.
      const ca = await readFile(join(dir, TLS_FILES.caCert), 'utf8');
      const at = (id: string, servername: string) => ({ nodeId: id, endpoint: { host: '127.0.0.1', port: 1 }, tls: { endpoint: { host: '127.0.0.1', port: Number(httpsPort(foreign, id)) }, servername } });
      const labLb = createL7Balancer({ nodeId: 'lb', targets: [at('app1', 'app.internal'), at('app2', 'app2.internal')], upstreamTls: { ca }, healthCheck: { path: '/health', intervalMs: 1000, timeoutMs: 1000, rise: 1, fall: 2 } });
      const labCache = createCache({ nodeId: 'cache', targets: [at('app1', 'app.internal')], upstreamTls: { ca } });
      services.push(labLb, labCache);
      const labPorts = { lb: (await labLb.start()).port, cache: (await labCache.start()).port };
      const status = async (port: number): Promise<number> => (await get(port, '/refused')).status;
      const settled = async (port: number, want: number): Promise<number> => {
        // The checks need `fall` failed probes, one a second: a few seconds on a busy machine.
        const end = Date.now() + 15_000;
        let last = await status(port);
        while (last !== want && Date.now() < end) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          last = await status(port);
        }
        return last;
      };
      expect(await settled(labPorts.lb, 503)).toBe(503);
      expect(await status(labPorts.cache)).toBe(502);
      for (const tool of ['nginx', 'haproxy'] as const) {
        const mapped = await addressMap(foreign);
        const running = await startTool(tool, dir, render(tool, mapped.map), mapped.ports['10.0.1.30:80']!);
        tools.push(running);
        // nginx open source has no active checks (reported): every request is the failed handshake's 502.
        expect(await settled(mapped.ports['10.0.1.10:80']!, tool === 'haproxy' ? 503 : 502), tool).toBe(tool === 'haproxy' ? 503 : 502);
        expect(await status(mapped.ports['10.0.1.30:80']!), tool).toBe(502);
      }
    }, 90_000);
  });
});

describe('HTTPS to upstreams in the Terraform export', () => {
  it('gives the target group protocol HTTPS and an HTTPS health check, which terraform validate accepts', async (context) => {
    const { renderTerraform } = await import('../../../core/export/terraform/index.js');
    const { expectTerraformValidates } = await import('./terraform-cli.js');
    const result = renderTerraform(design);
    const main = result.files.map((f) => f.content).join('\n');
    expect(main).toMatch(/resource "aws_lb_target_group" "lb" \{[^]*?port\s+= 8443[^]*?protocol\s+= "HTTPS"[^]*?health_check \{[^}]*protocol\s+= "HTTPS"/);
    await expectTerraformValidates(context, result.files);
  }, 180_000);
});

describe('HTTPS to upstreams in the Kubernetes export', () => {
  it('reports what a Service cannot say', async () => {
    const { renderKubernetes } = await import('../../../core/export/kubernetes/index.js');
    const result = renderKubernetes(design, { certDir: '/srv/shop/.topolab/certs' });
    const reported = result.report.notExpressible.filter((e) => e.feature === 'tls-upstream');
    expect(reported.map((e) => e.nodeId).sort()).toEqual(['cache', 'lb']);
  });
});
