import { describe, expect, it } from 'vitest';
import { renderHaproxy } from '../../../core/export/haproxy/index.js';
import { renderNginx } from '../../../core/export/nginx/index.js';
import { renderTerraform } from '../../../core/export/terraform/index.js';
import { parseTopology } from '../../../core/model/index.js';

/** A balancer re-encrypting to two proxies whose certificates name different hosts, and one plain server. */
const design = (secondHosts: string[], plainTarget = false): ReturnType<typeof parseTopology> =>
  parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'web', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24', zone: 'a' },
        { id: 'web-b', kind: 'subnet', parent: 'vpc', cidr: '10.0.2.0/24', zone: 'b' },
        { id: 'lb', kind: 'load-balancer', parent: 'web', ip: '10.0.1.5', tls: { enabled: false, upstream: true } },
        { id: 'p1', kind: 'reverse-proxy', parent: 'web', ip: '10.0.1.10', port: 8080, tls: { hosts: ['one.internal'], port: 8443 } },
        { id: 'p2', kind: 'reverse-proxy', parent: 'web', ip: '10.0.1.11', port: 8080, tls: { hosts: secondHosts, port: 8443 } },
        ...(plainTarget ? [{ id: 's', kind: 'server', parent: 'web', ip: '10.0.1.20', port: 8080 }] : []),
      ],
      edges: [
        { id: 'e1', from: 'lb', to: 'p1' },
        { id: 'e2', from: 'lb', to: 'p2' },
        ...(plainTarget ? [{ id: 'e3', from: 'lb', to: 's' }] : []),
      ],
    }),
  );

describe('tls.upstream in the nginx export', () => {
  it('names the one SNI name it can send, and says when the upstreams share none', () => {
    const result = renderNginx(design(['two.internal']), { certDir: '/p/.topolab/certs' });
    const conf = result.files[0]!.content;
    expect(conf).toContain('proxy_pass https://lb;');
    expect(conf).toContain('server 10.0.1.10:8443');
    expect(conf).toContain('server 10.0.1.11:8443');
    expect(conf).toContain('proxy_ssl_name one.internal;');
    expect(conf).toContain('proxy_ssl_trusted_certificate /p/.topolab/ca/topolab-ca.crt;');
    const line = result.report.approximated.find((e) => e.nodeId === 'lb' && e.feature === 'tls-upstream');
    expect(line?.detail).toMatch(/one\.internal; the upstreams certify different names \(one\.internal, two\.internal\), so the others fail verification in nginx/);
  });

  it('reports an upstream that serves no HTTPS instead of pretending', () => {
    const result = renderNginx(design(['one.internal'], true));
    expect(result.report.notExpressible.find((e) => e.nodeId === 'lb' && e.feature === 'tls-upstream')?.detail).toMatch(/^s serves no HTTPS/);
  });
});

describe('tls.upstream in the HAProxy and Terraform exports', () => {
  it('HAProxy sends each server its own name', () => {
    const cfg = renderHaproxy(design(['two.internal']), { certDir: '/p/.topolab/certs' }).files[0]!.content;
    expect(cfg).toMatch(/server p1 10\.0\.1\.10:8443 ssl verify required ca-file \/p\/\.topolab\/ca\/topolab-ca\.crt sni str\(one\.internal\) ssl-min-ver TLSv1\.2 alpn http\/1\.1/);
    expect(cfg).toMatch(/server p2 10\.0\.1\.11:8443 ssl verify required .* sni str\(two\.internal\)/);
  });

  it('Terraform reports that an ALB does not authenticate its HTTPS targets', () => {
    const result = renderTerraform(design(['two.internal']));
    const main = result.files.map((f) => f.content).join('\n');
    expect(main).toMatch(/resource "aws_lb_target_group" "lb" \{[^]*?port\s+= 8443[^]*?protocol\s+= "HTTPS"/);
    expect(result.report.approximated.find((e) => e.nodeId === 'lb' && e.feature === 'tls-upstream')?.detail).toMatch(/does not verify target certificates/);
  });
});

describe('tls.upstream on an API gateway', () => {
  it('nginx and HAProxy reach the route upstreams over verified HTTPS', () => {
    const topology = parseTopology(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'web', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
          { id: 'gw', kind: 'reverse-proxy', parent: 'web', ip: '10.0.1.5', tls: { hosts: ['api.example'], upstream: true }, gateway: { routes: [{ id: 'orders', path: '/orders/*', upstreams: ['p1'] }] } },
          { id: 'p1', kind: 'reverse-proxy', parent: 'web', ip: '10.0.1.10', port: 8080, tls: { hosts: ['orders.internal'], port: 8443 } },
        ],
      }),
    );
    const nginx = renderNginx(topology, { certDir: '/p/.topolab/certs' }).files[0]!.content;
    const gwLocations = nginx.split('proxy_pass https://').length - 1;
    expect(gwLocations).toBeGreaterThanOrEqual(1);
    expect(nginx).not.toMatch(/proxy_pass http:\/\/gw__orders/);
    expect(nginx).toContain('proxy_ssl_name orders.internal;');
    expect(nginx).toContain('server 10.0.1.10:8443');
    const haproxy = renderHaproxy(topology, { certDir: '/p/.topolab/certs' }).files[0]!.content;
    expect(haproxy).toMatch(/server p1 10\.0\.1\.10:8443 ssl verify required ca-file \/p\/\.topolab\/ca\/topolab-ca\.crt sni str\(orders\.internal\)/);
  });
});

describe('the address map from the lab endpoint table', () => {
  it('maps a node\'s designed HTTPS endpoint to its httpsUrl', async () => {
    const { parseAddressMap } = await import('../../../core/export/address-map.js');
    const parsed = parseAddressMap({
      event: 'ready',
      endpoints: [{ id: 'app1', address: '10.0.2.20:8080', url: 'http://127.0.0.1:4001', httpsUrl: 'https://127.0.0.1:4002', httpsAddress: '10.0.2.20:8443' }],
    });
    expect(parsed).toEqual({ ok: true, map: { '10.0.2.20:8080': '127.0.0.1:4001', '10.0.2.20:8443': '127.0.0.1:4002' } });
    expect(parseAddressMap({ endpoints: [{ address: '10.0.2.20:8080', url: 'http://127.0.0.1:4001', httpsUrl: 'https://127.0.0.1:4002', httpsAddress: 'nonsense' }] })).toMatchObject({ ok: false });
  });
});
