import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZoneSpec } from '../../../core/runtime/dns/index.js';

/** A fast health check, so failover tests take well under a second. */
export const FAST_CHECK = { type: 'http' as const, path: '/health', intervalMs: 100, timeoutMs: 100, rise: 1, fall: 2 };

/** The public zone most tests ask: every policy, CNAMEs, TXT, a large answer. */
export function shopZone(): ZoneSpec {
  const big = Array.from({ length: 60 }, (_, i) => ({ data: `10.9.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
  return {
    id: 'zone',
    name: 'shop.example',
    records: [
      { name: 'www.shop.example', type: 'A', ttl: 60, policy: 'simple', values: [{ data: '10.0.1.10', nodeId: 'web1' }, { data: '10.0.1.11', nodeId: 'web2' }] },
      { name: 'api.shop.example', type: 'A', ttl: 60, policy: 'weighted', values: [{ data: '10.0.2.1', weight: 3 }, { data: '10.0.2.2', weight: 1 }, { data: '10.0.2.3', weight: 0 }] },
      { name: 'app.shop.example', type: 'A', ttl: 5, policy: 'failover', healthCheck: FAST_CHECK, values: [{ data: '10.0.3.1' }, { data: '10.0.3.2' }] },
      { name: 'multi.shop.example', type: 'A', ttl: 5, policy: 'multivalue', healthCheck: FAST_CHECK, values: [{ data: '10.0.4.1' }, { data: '10.0.4.2' }, { data: '10.0.4.3' }] },
      { name: 'near.shop.example', type: 'A', ttl: 60, policy: 'latency', values: [{ data: '10.0.5.1', region: 'us-east-1' }, { data: '10.1.5.1', region: 'eu-west-1' }] },
      { name: 'alias.shop.example', type: 'CNAME', ttl: 300, policy: 'simple', values: [{ data: 'www.shop.example' }] },
      { name: 'chain.shop.example', type: 'CNAME', ttl: 300, policy: 'simple', values: [{ data: 'alias.shop.example' }] },
      { name: 'dangling.shop.example', type: 'CNAME', ttl: 300, policy: 'simple', values: [{ data: 'gone.shop.example' }] },
      { name: 'loop1.shop.example', type: 'CNAME', ttl: 300, policy: 'simple', values: [{ data: 'loop2.shop.example' }] },
      { name: 'loop2.shop.example', type: 'CNAME', ttl: 300, policy: 'simple', values: [{ data: 'loop1.shop.example' }] },
      { name: 'ext.shop.example', type: 'CNAME', ttl: 300, policy: 'simple', values: [{ data: 'www.example.org' }] },
      { name: 'shop.example', type: 'TXT', ttl: 300, policy: 'simple', values: [{ data: 'v=spf1 -all' }] },
      { name: 'big.shop.example', type: 'A', ttl: 60, policy: 'simple', values: big },
      { name: 'a.b.shop.example', type: 'A', ttl: 60, policy: 'simple', values: [{ data: '10.0.6.1' }] },
    ],
  };
}

/** A private zone of the same name for VPC `vpc-a` (10.0.0.0/16): split horizon. */
export function privateShopZone(): ZoneSpec {
  return {
    id: 'private-zone',
    name: 'shop.example',
    private: { vpcId: 'vpc-a', cidrs: ['10.0.0.0/16'] },
    records: [{ name: 'www.shop.example', type: 'A', ttl: 60, policy: 'simple', values: [{ data: '10.0.1.99' }] }],
  };
}

/** A tiny HTTP server answering 200 on /health, on a free loopback port. */
export async function healthServer(port = 0): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.end('ok'));
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
