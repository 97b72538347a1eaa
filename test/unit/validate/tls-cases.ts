import type { TopologyNode } from '../../../core/model/index.js';
import { add, patch, type Mutation } from './helpers.js';
import type { DnsCodeCase } from './dns-cases.js';

/** A trigger and a near miss per `tls` code, in the shape codes.test.ts runs. The base balancer `lb` is nodes[7]; an added node is nodes[17]. */
const proxyTo = (upstream: string, extra: object = {}): Mutation =>
  add({ id: 'gw', kind: 'reverse-proxy', parent: 'public-a', rules: [{ upstreams: [upstream] }], tls: { hosts: ['shop.example'], upstream: true }, ...extra } as unknown as TopologyNode);

export const TLS_CASES: DnsCodeCase[] = [
  {
    code: 'tls-unsupported',
    name: 'TLS on a layer-4 balancer',
    trigger: patch('lb', { layer: 4, tls: { hosts: ['shop.example'] } }),
    severity: 'error',
    nodeIds: ['lb'],
    path: 'nodes[7].tls',
    message: /Load balancer "lb" works at layer 4 .* cannot terminate TLS/,
    nearMiss: patch('lb', { layer: 7, tls: { hosts: ['shop.example'] } }),
    nearMissName: 'TLS on a layer-7 balancer',
  },
  {
    code: 'tls-redirect-without-https',
    name: 'a redirect with HTTPS turned off',
    trigger: patch('lb', { tls: { enabled: false, redirect: 301 } }),
    severity: 'error',
    nodeIds: ['lb'],
    path: 'nodes[7].tls.redirect',
    message: /sets tls\.redirect but its HTTPS listener is off/,
    nearMiss: patch('lb', { tls: { enabled: false, hosts: ['shop.example'] } }),
    nearMissName: 'HTTPS turned off with no redirect or HSTS',
  },
  {
    code: 'tls-port-clash',
    name: 'the HTTPS port equal to the plain port',
    trigger: patch('lb', { tls: { port: 80 } }),
    severity: 'error',
    nodeIds: ['lb'],
    path: 'nodes[7].tls.port',
    message: /HTTPS and plain HTTP on the same port 80/,
    nearMiss: patch('lb', { tls: { port: 8443 } }),
    nearMissName: 'an HTTPS port of its own',
  },
  {
    code: 'tls-host-invalid',
    name: 'a host name with a space',
    trigger: patch('lb', { tls: { hosts: ['shop.example', 'bad name.example'] } }),
    severity: 'error',
    nodeIds: ['lb'],
    path: 'nodes[7].tls.hosts[1]',
    message: /certificate for "bad name\.example", which is not a host name/,
    nearMiss: patch('lb', { tls: { hosts: ['shop.example', '*.api.shop.example'] } }),
    nearMissName: 'a wildcard name',
  },
  {
    code: 'tls-upstream-plain',
    name: 'TLS to a plain server',
    trigger: proxyTo('web-1'),
    severity: 'error',
    nodeIds: ['gw', 'web-1'],
    path: 'nodes[17].tls.upstream',
    message: /connects to its upstreams over TLS .* server "web-1" serves no HTTPS/,
    nearMiss: (t) => {
      patch('lb', { tls: { hosts: ['lb.shop.example'] } })(t);
      proxyTo('lb')(t);
    },
    nearMissName: 'TLS to a balancer with its own HTTPS listener',
  },
];
