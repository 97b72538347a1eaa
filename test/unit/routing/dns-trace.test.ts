import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology, type Topology } from '../../../core/model/index.js';
import { resolveDesignName } from '../../../core/routing/dns/resolve.js';
import { traceTo } from '../../../core/routing/dns/trace-name.js';
import { runTopolab } from '../../support/cli.js';

const dnsFixture = (): Topology => parseTopology(readFileSync(new URL('../../fixtures/lab/dns.topolab.json', import.meta.url), 'utf8'));

/** The fixture plus a server in a private subnet (no route to the internet) that `www` also names. */
function withPrivateAnswer(): Topology {
  const t = dnsFixture();
  t.nodes.push({ id: 'private', kind: 'subnet', parent: 'vpc', cidr: '10.0.2.0/24' } as Topology['nodes'][number]);
  t.nodes.push({ id: 'rt-private', kind: 'route-table', parent: 'vpc', subnets: ['private'], routes: [] } as unknown as Topology['nodes'][number]);
  t.nodes.push({ id: 'hidden', kind: 'server', parent: 'private', ip: '10.0.2.10' } as Topology['nodes'][number]);
  const zone = t.nodes.find((n) => n.id === 'shop') as { records: { name: string; values: string[] }[] };
  zone.records.find((r) => r.name === 'www')!.values.push('hidden');
  return t;
}

describe('resolving a design name as the lab would', () => {
  it('answers every value of a simple record, the primary of a failover, and follows CNAMEs', () => {
    const t = dnsFixture();
    expect(resolveDesignName(t, 'www.shop.example', 'user').addresses).toEqual([{ address: '10.0.1.10', nodeId: 'web1' }, { address: '10.0.1.11', nodeId: 'web2' }]);
    expect(resolveDesignName(t, 'app.shop.example', 'user').addresses).toEqual([{ address: '10.0.1.10', nodeId: 'web1' }]);
    expect(resolveDesignName(t, 'shop-api.shop.example', 'user')).toMatchObject({ cnames: ['www.shop.example'], rcode: 'NOERROR' });
    expect(resolveDesignName(t, 'nope.shop.example', 'user').rcode).toBe('NXDOMAIN');
  });

  it('answers a private zone only to clients of its VPC', () => {
    const t = dnsFixture();
    expect(resolveDesignName(t, 'db.internal.shop', 'user').rcode).toBe('REFUSED');
    expect(resolveDesignName(t, 'db.internal.shop', 'web1').addresses).toEqual([{ address: '10.0.1.99' }]);
  });
});

describe('trace to a DNS name', () => {
  it('traces every answer and is reachable when all of them are', () => {
    const result = traceTo(dnsFixture(), { from: 'user', to: 'www.shop.example', port: 80 });
    expect(result.verdict).toBe('reachable');
    expect(result.dns?.answers.map((a) => [a.nodeId, a.verdict])).toEqual([
      ['web1', 'reachable'],
      ['web2', 'reachable'],
    ]);
  });

  it('is blocked when one answer is, naming that answer\'s blocker', () => {
    const result = traceTo(withPrivateAnswer(), { from: 'user', to: 'www.shop.example', port: 80 });
    expect(result.verdict).toBe('blocked');
    expect(result.dns?.answers.map((a) => a.verdict)).toEqual(['reachable', 'reachable', 'blocked']);
    expect(result.blockedBy).toEqual(result.dns?.answers[2]?.blockedBy);
  });

  it('is blocked with a reason when the name has no answer for the client', () => {
    const result = traceTo(dnsFixture(), { from: 'user', to: 'db.internal.shop' });
    expect(result).toMatchObject({ verdict: 'blocked', blockedBy: { nodeId: 'user' }, dns: { rcode: 'REFUSED', answers: [] } });
    expect(result.blockedBy?.reason).toMatch(/private zone answers only its VPC/);
  });

  it('prints each answer from the command line; exit 0 when all are reachable, 1 when one is blocked', async () => {
    const file = new URL('../../fixtures/lab/dns.topolab.json', import.meta.url).pathname;
    const run = await runTopolab('trace', file, '--from', 'user', '--to', 'www.shop.example', '--port', '80');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^www\.shop\.example resolves to 10\.0\.1\.10 \(web1\), 10\.0\.1\.11 \(web2\)/);
    expect(run.out).toMatch(/answer 1: 10\.0\.1\.10 \(web1\)/);
    expect(run.out).toMatch(/answer 2: 10\.0\.1\.11 \(web2\)/);
    expect(run.out).toMatch(/reachable \(all 2 answers\)\n$/);
    const refused = await runTopolab('trace', file, '--from', 'user', '--to', 'db.internal.shop', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ verdict: 'blocked', dns: { name: 'db.internal.shop', rcode: 'REFUSED' } });
  });
});
