import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology, type Topology } from '../../../../core/model/index.js';
import { httpsPort, httpsUnavailable } from '../../../../renderer/lab/https.js';
import { runLabel } from '../../../../renderer/lab/controller.js';

const example = (name: string): Topology => parseTopology(readFileSync(new URL(`../../../../examples/${name}.topolab.json`, import.meta.url), 'utf8'));
/** The two-backend example with `tls` on its balancer. */
const withTls = (tls: object): Topology => {
  const doc = example('nginx-two-backends');
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === 'nginx' ? { ...n, tls } : n)) } as Topology;
};

describe('the HTTPS toggle of the traffic and request forms', () => {
  it('is available for a node with active tls, on its designed HTTPS port', () => {
    expect(httpsUnavailable(withTls({ hosts: ['shop.example'] }), 'nginx', '')).toBeUndefined();
    expect(httpsPort(withTls({ hosts: ['shop.example'] }), 'nginx')).toBe(443);
    expect(httpsPort(withTls({ port: 8443 }), 'nginx')).toBe(8443);
  });

  it('says why not for a node without tls, tls turned off, a DNS name, or a forward proxy', () => {
    expect(httpsUnavailable(example('nginx-two-backends'), 'nginx', '')).toMatch(/^nginx serves no HTTPS: it has no tls block/);
    expect(httpsUnavailable(withTls({ enabled: false }), 'nginx', '')).toMatch(/serves no HTTPS/);
    expect(httpsPort(withTls({ enabled: false }), 'nginx')).toBeUndefined();
    expect(httpsUnavailable(withTls({}), 'www.shop.example', '')).toMatch(/^www\.shop\.example is a DNS name/);
    expect(httpsUnavailable(withTls({}), 'nginx', 'squid')).toMatch(/forward proxy is not sent by the lab/);
  });

  it("a run's label says when it goes over HTTPS", () => {
    expect(runLabel({ to: 'nginx', from: 'browser', requests: 20, concurrency: 2, https: true })).toBe('20 × GET / browser → nginx over HTTPS (c=2)');
    expect(runLabel({ to: 'nginx', requests: 20 })).toBe('20 × GET / nginx (c=10)');
  });
});
