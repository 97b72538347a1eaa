// HTTPS in the exports, checked with the real tools: nginx -t and haproxy -c accept the configs
// with the project's generated certificates, and nginx/HAProxy started from the export answer
// like the lab for the same host names: the certificate SNI picks, the HTTPS status, the HSTS
// header, the redirect of the plain port and its Location (curl --cacert on both sides).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAddressMap } from '../../../core/export/address-map.js';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { parseTopology } from '../../../core/model/load.js';
import { TLS_FILES } from '../../../core/model/tls-hosts.js';
import { Lab } from '../../../core/runtime/lab/lab.js';
import { createRealService } from '../../../core/runtime/lab/services.js';
import { freePort, haproxyCheck, loopbackMap, nginxTest, startTool, STREAM_MODULE, tempDir, type Running } from './tools.js';

const curl = promisify(execFile);
const design = parseTopology(readFileSync(new URL('../../fixtures/lab/tls.topolab.json', import.meta.url), 'utf8'));

/** The (node, host name) pairs compared, with each node's designed plain and TLS endpoints. */
const NODES = [
  { id: 'lb', plain: '10.0.1.10:80', secure: '10.0.1.10:443', hosts: ['shop.example', 'api.example'] },
  { id: 'gw', plain: '10.0.1.20:80', secure: '10.0.1.20:443', hosts: ['www.shop.example'] },
  { id: 'cache', plain: '10.0.1.30:80', secure: '10.0.1.30:443', hosts: ['static.shop.example'] },
];

interface Side {
  plain(id: string): number;
  secure(id: string): number;
}

/** What a client sees of one host name on one node: HTTPS status, HSTS, SAN, and the plain port's answer. */
async function observe(side: Side, id: string, host: string, ca: string): Promise<Record<string, unknown>> {
  const securePort = side.secure(id);
  const https = await curl('curl', ['-s', '-o', '/dev/null', '-D', '-', '-w', '%{http_code}', '--cacert', ca, '--resolve', `${host}:${securePort}:127.0.0.1`, `https://${host}:${securePort}/page?q=1`]);
  const hsts = /strict-transport-security: ([^\r\n]+)/i.exec(https.stdout)?.[1] ?? null;
  const plainPort = side.plain(id);
  const plain = await curl('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '-H', `Host: ${host}`, `http://127.0.0.1:${plainPort}/page?q=1`]);
  const san = await new Promise<string | undefined>((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: securePort, servername: host, ca: readFileSync(ca, 'utf8') }, () => {
      resolve(socket.getPeerCertificate().subjectaltname);
      socket.destroy();
    });
    socket.once('error', reject);
  });
  return { https: https.stdout.slice(-3), hsts, san, plain: plain.stdout.trim() };
}

describe('HTTPS in the nginx and HAProxy exports', () => {
  let lab: Lab;
  let dir: string;
  let cleanup: () => Promise<void>;
  let labEndpoints: Awaited<ReturnType<Lab['start']>> extends unknown ? ReturnType<Lab['endpoints']> : never;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('topolab-tls-export-'));
    lab = new Lab(design, { createService: createRealService, projectFolder: dir });
    await lab.start();
    labEndpoints = lab.endpoints();
  });
  afterAll(async () => {
    await lab?.stop();
    await cleanup?.();
  });

  const labSide = (): Side => {
    const byId = new Map(labEndpoints.map((e) => [e.id, e]));
    return { plain: (id) => Number(new URL(byId.get(id)!.url).port), secure: (id) => Number(new URL(byId.get(id)!.httpsUrl!).port) };
  };

  it('nginx -t and haproxy -c accept the configs with the generated certificates', async () => {
    const certDir = join(dir, TLS_FILES.certsDir);
    // Every designed endpoint, TLS ones included, on a free loopback port: nginx -t binds them.
    const addressMap = await loopbackMap(design);
    for (const node of NODES) addressMap[node.secure] = `127.0.0.1:${await freePort()}`;
    const nginx = renderNginx(design, { certDir, runDir: dir, nginxModules: [STREAM_MODULE], addressMap }).files[0]!.content;
    expect(nginx).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(nginx).toContain(`ssl_certificate ${certDir}/api.example.crt;`);
    const tested = await nginxTest(dir, nginx);
    expect(tested.code, tested.output).toBe(0);
    const haproxy = renderHaproxy(design, { certDir, addressMap }).files[0]!.content;
    expect(haproxy).toContain(`ssl crt ${certDir}/shop.example.pem crt ${certDir}/api.example.pem ssl-min-ver TLSv1.2`);
    const checked = await haproxyCheck(dir, haproxy);
    expect(checked.code, checked.output).toBe(0);
  });

  describe.each(['nginx', 'haproxy'] as const)('%s side by side with the lab', (tool) => {
    let running: Running | undefined;
    let ports: Record<string, number>;

    beforeAll(async () => {
      const parsed = parseAddressMap({ event: 'ready', endpoints: labEndpoints });
      if (!parsed.ok) throw new Error(parsed.message);
      ports = {};
      const addressMap: Record<string, string> = { ...parsed.map };
      for (const node of NODES) {
        for (const designed of [node.plain, node.secure]) {
          ports[designed] = await freePort();
          addressMap[designed] = `127.0.0.1:${ports[designed]}`;
        }
      }
      const options = { addressMap, runDir: dir, certDir: join(dir, TLS_FILES.certsDir), nginxModules: [STREAM_MODULE] };
      const config = (tool === 'nginx' ? renderNginx(design, options) : renderHaproxy(design, options)).files[0]!.content;
      running = await startTool(tool, dir, config, ports[NODES[0]!.secure]!);
    });
    afterAll(async () => {
      await running?.stop();
    });

    it.each(NODES.flatMap((node) => [...node.hosts, 'unknown.example'].map((host) => [node.id, host] as const)))('%s for %s answers as the lab does', async (id, host) => {
      const node = NODES.find((n) => n.id === id)!;
      const exported: Side = { plain: () => ports[node.plain]!, secure: () => ports[node.secure]! };
      const ca = join(dir, TLS_FILES.caCert);
      if (host === 'unknown.example') {
        // An unknown name gets the default certificate, whose name does not match: both refuse the same way.
        const refused = async (side: Side): Promise<number> => curl('curl', ['-s', '--cacert', ca, '--resolve', `${host}:${side.secure(id)}:127.0.0.1`, `https://${host}:${side.secure(id)}/`]).then(() => 0, (e: { code: number }) => e.code);
        expect(await refused(exported)).toBe(60);
        expect(await refused(labSide())).toBe(60);
        return;
      }
      const expected = await observe(labSide(), id, host, ca);
      expect(expected.https).toBe('200');
      expect(await observe(exported, id, host, ca)).toEqual(expected);
    });
  });
});

describe('HTTPS in the Terraform export', () => {
  it('writes an ACM certificate, an HTTPS listener with the TLS 1.2+ policy and HSTS, and the redirect, which terraform validate accepts', async (context) => {
    const { renderTerraform } = await import('../../../core/export/terraform/index.js');
    const { expectTerraformValidates } = await import('./terraform-cli.js');
    const raw = JSON.parse(readFileSync(new URL('../../fixtures/lab/tls.topolab.json', import.meta.url), 'utf8')) as { nodes: { id: string; tls?: object }[] };
    for (const node of raw.nodes) if (node.id === 'lb') node.tls = { hosts: ['shop.example', 'api.example'], redirect: 308, hsts: { maxAgeSeconds: 600 } };
    const withRedirect = parseTopology(JSON.stringify(raw));
    const lb = withRedirect.nodes.find((n) => n.id === 'lb') as { tls?: { redirect?: number } };
    expect(lb.tls?.redirect).toBe(308);
    const result = renderTerraform(withRedirect);
    const main = result.files.map((f) => f.content).join('\n');
    expect(main).toMatch(/resource "aws_acm_certificate" "lb" \{[^}]*domain_name\s+= "shop\.example"[^}]*subject_alternative_names\s+= \["api\.example"\]/s);
    expect(main).toMatch(/resource "aws_lb_listener" "lb_https" \{[^]*?protocol\s+= "HTTPS"[^]*?ssl_policy\s+= "ELBSecurityPolicy-TLS13-1-2-2021-06"[^]*?certificate_arn\s+= aws_acm_certificate\.lb\.arn/);
    expect(main).toMatch(/routing_http_response_strict_transport_security_header_value\s+= "max-age=600"/);
    expect(main).toMatch(/type\s+= "redirect"[^]*?port\s+= "443"[^]*?protocol\s+= "HTTPS"[^]*?status_code\s+= "HTTP_301"/);
    // An ALB redirects with 301 or 302 only: the 308 is written as 301 and the report says so.
    expect(result.report.approximated.some((e) => e.nodeId === 'lb' && e.feature === 'tls-redirect')).toBe(true);
    await expectTerraformValidates(context, result.files);
  }, 180_000);
});

describe('HTTPS in the Kubernetes export', () => {
  it('gives the reverse proxy Ingress tls entries, one Secret per host, and the commands that create them', async () => {
    const { renderKubernetes } = await import('../../../core/export/kubernetes/index.js');
    const { parseAllDocuments } = await import('yaml');
    const result = renderKubernetes(design, { certDir: '/srv/shop/.topolab/certs' });
    const docs = parseAllDocuments(result.files[0]!.content).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { tls?: unknown } });
    const ingress = docs.find((d) => d.kind === 'Ingress' && d.metadata?.name === 'gw');
    expect(ingress?.spec?.tls).toEqual([{ hosts: ['www.shop.example'], secretName: 'gw-tls-www-shop-example' }]);
    // No private key in the manifests.
    expect(result.files[0]!.content).not.toContain('PRIVATE KEY');
    const secrets = result.report.notExpressible.find((e) => e.nodeId === 'gw' && e.feature === 'tls-secrets');
    expect(secrets?.action).toContain('kubectl create secret tls gw-tls-www-shop-example --cert=/srv/shop/.topolab/certs/www.shop.example.crt --key=/srv/shop/.topolab/certs/www.shop.example.key');
    // A Service passes TCP: the balancer's and the cache's HTTPS are reported, not silently dropped.
    expect(result.report.notExpressible.filter((e) => e.feature === 'tls').map((e) => e.nodeId).sort()).toEqual(['cache', 'lb']);
  });
});
