import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/index.js';
import { certFiles, hostMatches, pickCertificateName, tlsHostNames } from '../../../core/model/tls-hosts.js';
import { httpsLocation } from '../../../core/runtime/http/tls-listener.js';

const design = (lbTls: object | undefined): ReturnType<typeof parseTopology> =>
  parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'web', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
        { id: 'Lb_1', kind: 'load-balancer', parent: 'web', ...(lbTls ? { tls: lbTls } : {}) },
        { id: 'gw', kind: 'reverse-proxy', parent: 'web', tls: {}, rules: [{ host: 'API.shop.example:443', upstreams: ['Lb_1'] }, { host: 'bad host', upstreams: ['Lb_1'] }] },
        { id: 'zone', kind: 'dns-zone', name: 'shop.example', records: [{ name: 'www', type: 'A', ttl: 60, values: ['Lb_1'], policy: 'simple' }, { name: '@', type: 'A', ttl: 60, values: ['Lb_1'], policy: 'simple' }] },
      ],
    }),
  );

describe('tlsHostNames', () => {
  it('takes tls.hosts, then DNS records naming the node, lower-cased and once each', () => {
    const t = design({ hosts: ['Shop.Example.', 'admin.shop.example'] });
    expect(tlsHostNames(t, t.nodes[2]!)).toEqual(['shop.example', 'admin.shop.example', 'www.shop.example']);
  });
  it('takes a proxy rule host without its port, leaves invalid names out, and has a fallback for an unnamed node', () => {
    const t = design({});
    expect(tlsHostNames(t, t.nodes[3]!)).toEqual(['api.shop.example']);
    const bare = parseTopology(JSON.stringify({ schema: 'topolab/1', nodes: [{ id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' }, { id: 'web', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' }, { id: 'Lb_1', kind: 'load-balancer', parent: 'web', tls: {} }] }));
    expect(tlsHostNames(bare, bare.nodes[2]!)).toEqual(['lb-1.topolab.internal']);
  });
  it('is empty without tls or with tls turned off', () => {
    expect(tlsHostNames(design(undefined), design(undefined).nodes[2]!)).toEqual([]);
    const off = design({ enabled: false, hosts: ['shop.example'] });
    expect(tlsHostNames(off, off.nodes[2]!)).toEqual([]);
  });
});

describe('SNI certificate choice', () => {
  const names = ['shop.example', '*.api.example', 'api.example'];
  it.each([
    ['shop.example', 'shop.example'],
    ['SHOP.example', 'shop.example'],
    ['v1.api.example', '*.api.example'],
    ['api.example', 'api.example'],
    ['a.b.api.example', 'shop.example'],
    ['other.example', 'shop.example'],
    [undefined, 'shop.example'],
  ])('%s -> %s', (sni, expected) => {
    expect(pickCertificateName(names, sni)).toBe(expected);
  });
  it('matches a wildcard over exactly one label', () => {
    expect(hostMatches('*.api.example', 'x.api.example')).toBe(true);
    expect(hostMatches('*.api.example', 'api.example')).toBe(false);
    expect(hostMatches('*.api.example', 'x.y.api.example')).toBe(false);
  });
});

describe('httpsLocation and certificate files', () => {
  it.each([
    ['shop.example', '/a?b=1', 443, 'https://shop.example/a?b=1'],
    ['shop.example:8080', '/', 443, 'https://shop.example/'],
    ['shop.example', '/', 8443, 'https://shop.example:8443/'],
    ['[::1]:80', '/x', 443, 'https://[::1]/x'],
  ])('%s %s (port %d) -> %s', (host, path, port, expected) => {
    expect(httpsLocation(host, path, port)).toBe(expected);
  });
  it('names a wildcard certificate without a glob character', () => {
    expect(certFiles('*.api.example')).toEqual({ cert: '.topolab/certs/_wildcard.api.example.crt', key: '.topolab/certs/_wildcard.api.example.key', pem: '.topolab/certs/_wildcard.api.example.pem' });
  });
});
