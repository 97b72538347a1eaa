import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { planKernelNetwork } from '../../../core/runtime/kernel/plan/network.js';
import { renderNamespaceScript } from '../../../core/runtime/kernel/plan/render.js';
import type { KernelNetworkPlan, NamespacePlan } from '../../../core/runtime/kernel/plan/types.js';
import { validateTopology } from '../../../core/validate/index.js';

/** Security groups and network ACLs in the kernel plan: nftables text per namespace, read from the rules trace evaluates. */
const design = (path: string): Topology => parseTopology(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));

function planOf(topology: Topology): KernelNetworkPlan {
  const result = planKernelNetwork(topology, { diagnostics: validateTopology(topology) });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
}

function nodeNs(plan: KernelNetworkPlan, id: string): NamespacePlan {
  const found = plan.namespaces.find((n) => n.name === plan.nodeNamespaces[id]);
  if (!found) throw new Error(`no namespace for ${id}`);
  return found;
}

describe('security groups in each node namespace', () => {
  const plan = planOf(design('test/fixtures/lab/filtered.topolab.json'));

  it('drops what no rule allows, lets every reply through (stateful), never filters loopback or neighbour discovery', () => {
    const table = nodeNs(plan, 'web1').nftables['topolab-sg'] as string;
    expect(table).toContain('type filter hook input priority filter; policy drop;');
    expect(table).toContain('type filter hook output priority filter; policy drop;');
    expect(table).toMatch(/chain input \{[^}]*iif "lo" accept\n\s+ct state established,related accept\n\s+icmpv6 type \{ nd-neighbor-solicit/);
  });

  it('a rule naming a group stands for the private addresses of its members; its port and protocol are matched', () => {
    // sg-web: tcp 8080 from sg-lb, whose members are lb (10.0.1.10) and gw (10.0.1.20).
    expect(nodeNs(plan, 'web1').nftables['topolab-sg']).toContain('ip saddr { 10.0.1.10, 10.0.1.20 } meta l4proto tcp th dport 8080 accept');
    // sg-web has no outbound rule: the output chain allows replies only.
    expect(nodeNs(plan, 'web1').nftables['topolab-sg']).toMatch(/chain output \{[^}]*nd-router-advert \} accept\n {2}\}/);
  });

  it('a CIDR peer and protocol all; 0.0.0.0/0 is the whole IPv4 family', () => {
    const table = nodeNs(plan, 'lb').nftables['topolab-sg'] as string;
    expect(table).toContain('meta nfproto ipv4 meta l4proto tcp th dport 80 accept');
    expect(table).toMatch(/chain output \{[\s\S]*?\n\s+meta nfproto ipv4 accept\n/);
    expect(nodeNs(plan, 'web2').nftables['topolab-sg']).toContain('ip saddr 10.9.0.0/16 meta l4proto tcp th dport 8080 accept');
  });

  it('nothing for an internet client, which no group filters', () => {
    expect(nodeNs(plan, 'user').nftables['topolab-sg']).toBeUndefined();
  });

  it('an instance a route targets judges what it forwards by its inbound rules, then its outbound rules', () => {
    const topology = design('test/fixtures/routing/filters.topolab.json');
    const routed = structuredClone(topology) as Topology & { nodes: Record<string, unknown>[] };
    routed.nodes.push(
      { id: 'sg-router', kind: 'security-group', parent: 'vpc', inbound: [{ protocol: 'all', source: '10.0.0.0/16' }], outbound: [{ protocol: 'tcp', ports: '443', destination: '0.0.0.0/0' }] },
      { id: 'router', kind: 'server', parent: 'public-a', ip: '10.0.0.30', securityGroups: ['sg-router'] },
    );
    const table = routed.nodes.find((n) => n.id === 'rt-private') as { routes: unknown[] };
    table.routes = [{ destination: '0.0.0.0/0', target: 'router' }];
    const sg = nodeNs(planOf(parseTopology(JSON.stringify(routed))), 'router').nftables['topolab-sg'] as string;
    expect(sg).toContain('type filter hook forward priority filter; policy drop;');
    expect(sg).toMatch(/chain forwarded-in \{\n\s+ip saddr 10\.0\.0\.0\/16 goto forwarded-out\n\s+drop/);
    expect(sg).toMatch(/chain forwarded-out \{\n\s+meta nfproto ipv4 meta l4proto tcp th dport 443 accept\n\s+drop/);
  });
});

describe('network ACLs on the VPC router', () => {
  const plan = planOf(design('test/fixtures/lab/filtered.topolab.json'));
  const router = plan.namespaces.find((n) => n.name === plan.routers['vpc']) as NamespacePlan;
  const acl = router.nftables['topolab-acl'] as string;

  it('stateless rules in number order per subnet bridge: out when leaving, in when entering, no match drops', () => {
    expect(acl).toMatch(/chain outbound-2 \{\n\s+# outbound rules of network ACL "acl-iso" at subnet "isolated", lowest number first\n\s+ip daddr 10\.0\.9\.0\/24 meta l4proto tcp th dport 1024-65535 return comment "rule 100"\n\s+drop/);
    expect(acl).toMatch(/chain inbound-2 \{\n[^\n]*\n\s+ip saddr 10\.0\.9\.0\/24 meta l4proto tcp th dport 8080 return comment "rule 100"\n\s+drop/);
    expect(acl).not.toContain('ct state');
  });

  it('traffic that stays inside a subnet is not judged; only subnets with an ACL are keyed', () => {
    expect(acl).toContain('iifname "br2" oifname "br2" accept');
    expect(acl).toMatch(/iifname vmap \{ "br\d+" : jump outbound-2 \}/);
    expect(acl).toMatch(/oifname vmap \{ "br\d+" : jump inbound-2 \}/);
  });

  it('a deny rule drops and the lowest number decides', () => {
    const topology = design('test/fixtures/lab/filtered.topolab.json') as Topology & { nodes: Record<string, unknown>[] };
    const copy = structuredClone(topology) as typeof topology;
    const node = copy.nodes.find((n) => n.id === 'acl-iso') as { inbound: unknown[] };
    node.inbound = [
      { rule: 200, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' },
      { rule: 90, action: 'deny', protocol: 'tcp', ports: '8080', cidr: '10.0.1.0/24' },
    ];
    const next = planOf(parseTopology(JSON.stringify(copy)));
    const text = next.namespaces.find((n) => n.name === next.routers['vpc'])?.nftables['topolab-acl'] as string;
    expect(text).toMatch(/ip saddr 10\.0\.1\.0\/24 meta l4proto tcp th dport 8080 drop comment "rule 90"\n\s+meta nfproto ipv4 return comment "rule 200"/);
  });

  it('is loaded with the rest of the router in one nft -f', () => {
    expect(renderNamespaceScript(router)).toContain('table inet topolab-acl {');
  });

  it('a design without filters gets no filter table', () => {
    const plain = planOf(design('examples/two-tier-web.topolab.json'));
    expect(plain.namespaces.filter((n) => n.nftables['topolab-sg'] !== undefined || n.nftables['topolab-acl'] !== undefined)).toEqual([]);
  });
});
