import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology, TopologyInput } from '../../../core/model/types.js';
import { withoutRoutes } from '../../../core/runtime/lab/routes.js';
import { planKernelNetwork } from '../../../core/runtime/kernel/plan/network.js';
import { ipLines, renderNamespaceScript, replaceTable, routeChanges, routeLine } from '../../../core/runtime/kernel/plan/render.js';
import type { KernelNetworkPlan, NamespacePlan } from '../../../core/runtime/kernel/plan/types.js';
import { validateTopology } from '../../../core/validate/index.js';

const design = (path: string): Topology => parseTopology(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
const inline = (input: Omit<TopologyInput, 'schema'>): Topology => parseTopology(JSON.stringify({ schema: 'topolab/1', ...input }));

function planOf(topology: Topology): KernelNetworkPlan {
  const result = planKernelNetwork(topology, { diagnostics: validateTopology(topology) });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
}

function ns(plan: KernelNetworkPlan, name: string): NamespacePlan {
  const found = plan.namespaces.find((n) => n.name === name);
  if (!found) throw new Error(`no namespace ${name}`);
  return found;
}

/** The `ip route` lines of one kernel table of a namespace. */
function table(plan: NamespacePlan, number: number): string[] {
  return plan.routes.filter((r) => r.table === number).map((r) => routeLine(r));
}

describe('the kernel plan of the two-tier example', () => {
  const plan = planOf(design('examples/two-tier-web.topolab.json'));
  const router = ns(plan, plan.routers['web-vpc'] as string);

  it('puts the VPC router first, then the internet, then one namespace per addressable node', () => {
    expect(plan.namespaces.map((n) => n.role)).toEqual(['router', 'internet', 'node', 'node', 'node', 'node', 'client']);
    expect(Object.keys(plan.nodeNamespaces).sort()).toEqual(['app-a', 'app-b', 'nat', 'visitor', 'web-lb']);
  });

  it('gives each subnet a bridge holding its router address, base + 1 as AWS does', () => {
    expect(router.addresses.filter((a) => a.dev.startsWith('br')).map((a) => a.cidr)).toEqual(['10.0.0.1/24', '10.0.1.1/24', '10.0.10.1/24', '10.0.11.1/24']);
    expect(router.sysctls).toContainEqual(['net/ipv4/ip_forward', '1']);
  });

  it('chooses the route table by the subnet traffic enters from (policy routing), with a catch-all drop', () => {
    const rules = router.rules.filter((r) => r.family === 4).map((r) => `${r.iif}:${r.table}`);
    expect(rules).toEqual(['igw:10', 'br2:100', 'br3:100', 'br4:101', 'br5:101']);
    expect(table(router, 100)).toEqual([
      'route add blackhole 10.0.0.0/16 table 100 metric 10',
      'route add 10.0.0.0/24 dev br2 table 100 metric 10',
      'route add 10.0.1.0/24 dev br3 table 100 metric 10',
      'route add 10.0.10.0/24 dev br4 table 100 metric 10',
      'route add 10.0.11.0/24 dev br5 table 100 metric 10',
      expect.stringMatching(/^route add 0\.0\.0\.0\/0 via 169\.254\.\d+\.\d+ dev igw table 100 metric 10 onlink$/),
      'route add blackhole 0.0.0.0/0 table 100 metric 4294967295',
      'route add blackhole ::/0 table 100 metric 4294967295',
    ]);
    // The private subnets' default route goes to the NAT gateway's designed address on its bridge.
    expect(table(router, 101)).toContain('route add 0.0.0.0/0 via 10.0.1.10 dev br3 table 101 metric 10 onlink');
  });

  it('translates 1:1 at the internet gateway: inbound only to nodes that accept the internet, outbound for the NAT gateway too', () => {
    expect(plan.addressing['web-lb']).toEqual({ private: '10.0.0.10', public: expect.stringMatching(/^198\.1[89]\./), inbound: true });
    expect(plan.addressing['nat']).toMatchObject({ private: '10.0.1.10', inbound: false });
    expect(plan.addressing['nat']?.public).toMatch(/^198\.1[89]\./);
    expect(plan.addressing['app-a']).toEqual({ private: '10.0.10.10', inbound: false });
    const lb = plan.addressing['web-lb']?.public as string;
    const nat = plan.addressing['nat']?.public as string;
    expect(router.nftables['topolab-igw']).toContain(`dnat ip to ip daddr map { ${lb} : 10.0.0.10 }`);
    expect(router.nftables['topolab-igw']).toContain(`snat ip to ip saddr map { 10.0.0.10 : ${lb}, 10.0.1.10 : ${nat} }`);
    expect(router.nftables['topolab-igw']).toMatch(/iifname "igw" drop\n/);
    expect(router.nftables['topolab-igw']).toMatch(/oifname "igw" drop\n/);
  });

  it('makes the NAT gateway masquerade and drop what it did not translate, and forward', () => {
    const nat = ns(plan, plan.nodeNamespaces['nat'] as string);
    expect(nat.nftables['topolab-nat']).toContain('oifname "eth0" ip saddr != 10.0.1.10 masquerade');
    expect(nat.nftables['topolab-nat']).toContain('ct state invalid drop');
    expect(nat.sysctls).toContainEqual(['net/ipv4/ip_forward', '1']);
  });

  it("sets each namespace's ephemeral port range to the one trace assumes for the node's kind", () => {
    const range = (id: string) => ns(plan, plan.nodeNamespaces[id] as string).sysctls.find(([key]) => key === 'net/ipv4/ip_local_port_range')?.[1];
    expect(range('web-lb')).toBe('1024 65535');
    expect(range('nat')).toBe('1024 65535');
    expect(range('app-a')).toBe('32768 60999');
    expect(range('visitor')).toBe('32768 60999');
  });

  it('sends everything a node sends through its router: no prefix route, a default route to the router address', () => {
    const app = ns(plan, plan.nodeNamespaces['app-a'] as string);
    expect(app.addresses).toEqual([{ dev: 'eth0', cidr: '10.0.10.10/24', noPrefixRoute: true }]);
    expect(app.routes.map((r) => routeLine(r))).toEqual(['route add 10.0.10.1/32 dev eth0 scope link', 'route add 0.0.0.0/0 via 10.0.10.1 dev eth0 onlink']);
    expect(app.sysctls).not.toContainEqual(['net/ipv4/ip_forward', '1']);
    // A router's IPv6 redirect (Linux always sends them) must not move a subnet's traffic off the router.
    for (const key of ['net/ipv6/conf/all/accept_redirects', 'net/ipv6/conf/default/accept_redirects', 'net/ipv6/conf/eth0/accept_redirects', 'net/ipv4/conf/eth0/accept_redirects']) {
      expect(app.sysctls).toContainEqual([key, '0']);
    }
  });

  it('holds the internet clients in namespaces behind the internet namespace, which reaches public addresses only', () => {
    const internet = ns(plan, 'inet');
    expect(internet.routes.map((r) => routeLine(r))).toEqual([
      expect.stringMatching(new RegExp(`^route add ${plan.addressing['web-lb']?.public}/32 via 169\\.254`)),
      expect.stringMatching(new RegExp(`^route add ${plan.addressing['nat']?.public}/32 via 169\\.254`)),
      expect.stringMatching(/^route add 203\.0\.113\.10\/32 dev c\d+ scope link$/),
      'route add unreachable 0.0.0.0/0',
      'route add unreachable ::/0',
    ]);
  });

  it('renders scripts that never let an interface name read as a keyword, and isolates bridge ports', () => {
    const lines = ipLines(router);
    expect(lines).toContain(`link add name p8 type veth peer name eth0 netns ${plan.nodeNamespaces['web-lb']}`);
    expect(lines).toContain('link set dev p8 type bridge_slave isolated on');
    const script = renderNamespaceScript(router);
    expect(script).toMatch(/^echo '1' > \/proc\/sys\/net\/ipv4\/ip_forward$/m);
    expect(script).toMatch(/ip -6 -batch - <<'TOPOLAB_EOF'\nrule add iif igw lookup 10 priority 1001/);
    expect(script).toMatch(/nft -f - <<'TOPOLAB_EOF'\ntable inet topolab-igw/);
  });

  it('replaces an nftables table whole, in one transaction, creating it if it is missing', () => {
    expect(replaceTable('inet', 'topolab-igw', router.nftables['topolab-igw'] as string)).toMatch(/^table inet topolab-igw\ndelete table inet topolab-igw\ntable inet topolab-igw \{\n/);
  });

  it('changes only the routes a dropped design route stands for, and restores them', () => {
    const topology = design('examples/two-tier-web.topolab.json');
    const dropped = planKernelNetwork(topology, { routing: withoutRoutes(topology, [{ table: 'rt-private', route: { destination: '0.0.0.0/0', target: 'nat' } }]) });
    if (!dropped.ok) throw new Error('plan');
    const changes = routeChanges(plan, dropped.plan);
    expect([...changes.keys()]).toEqual([router.name]);
    expect(changes.get(router.name)).toEqual(['route del 0.0.0.0/0 table 101 metric 10']);
    expect(routeChanges(dropped.plan, plan).get(router.name)).toEqual(['route replace 0.0.0.0/0 via 10.0.1.10 dev br3 table 101 metric 10 onlink']);
  });
});

describe('route targets as trace reads them', () => {
  const plan = planOf(design('test/fixtures/kernel/routing-mix.topolab.json'));
  const router = ns(plan, plan.routers['vpc'] as string);
  const rtPub = 100; // the VPC's route tables are numbered from 100 in file order

  it('lets a route more specific than local take a subnet from it (an instance router, a blackhole)', () => {
    const lines = table(router, rtPub);
    expect(lines).toContain('route add 10.0.20.0/24 via 10.0.30.20 dev br7 table 100 metric 10 onlink');
    expect(lines).toContain('route add blackhole 10.0.50.0/24 table 100 metric 10');
    expect(lines.filter((l) => l.startsWith('route add 10.0.20.0/24 dev') || l.startsWith('route add 10.0.50.0/24 dev'))).toEqual([]);
  });

  it('makes only the instance a route targets forward', () => {
    const forwards = (id: string) => ns(plan, plan.nodeNamespaces[id] as string).sysctls.some(([k, v]) => k === 'net/ipv4/ip_forward' && v === '1');
    expect(forwards('router-box')).toBe(true);
    expect(forwards('web1')).toBe(false);
  });

  it('gives no public address to an internal balancer or to a node whose subnet routes nothing to the gateway', () => {
    expect(plan.addressing['lb-int']?.public).toBeUndefined();
    expect(plan.addressing['web1']?.public).toBeUndefined();
    expect(plan.addressing['plain-web']).toMatchObject({ inbound: true });
  });

  it('gives a public address only for a route of the node\'s own IP version to the gateway (::/0 leaves an IPv4 host private, as in AWS)', () => {
    const split = planOf(design('test/fixtures/kernel/public-by-family.topolab.json'));
    expect(split.addressing['web4-private']).toEqual({ private: '10.9.1.10', inbound: false });
    expect(split.addressing['web6-public']).toEqual({ private: '2001:db8:300:1::10', public: '2001:db8:300:1::10', inbound: true });
    expect(split.addressing['web4-public']).toEqual({ private: '10.9.2.10', public: expect.stringMatching(/^198\.1[89]\./), inbound: true });
  });

  it('gives an internet client without an address one of each version from the benchmarking ranges', () => {
    expect(plan.addressing['stranger']?.private).toMatch(/^198\.1[89]\./);
    expect(plan.addressing['stranger']?.extra).toEqual([expect.stringMatching(/^2001:2::/)]);
  });
});

describe('what trace refuses, the kernel drops', () => {
  const base = {
    nodes: [
      { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
      { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
      { id: 'a', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
      { id: 'b', kind: 'subnet', parent: 'vpc', cidr: '10.0.2.0/24' },
      { id: 'nat', kind: 'nat-gateway', parent: 'b', ip: '10.0.2.10' },
      { id: 'srv', kind: 'server', parent: 'a', ip: '10.0.1.10' },
      { id: 'rt', kind: 'route-table', parent: 'vpc', subnets: ['a'], routes: [{ destination: '0.0.0.0/0', target: 'nat' }] },
    ],
  } as const;

  it('drops a route to a NAT gateway in a private subnet; a subnet with no table reaches only its own VPC (the implicit main table)', () => {
    const plan = planKernelNetwork(inline(base as unknown as TopologyInput));
    if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
    const router = plan.plan.namespaces[0] as NamespacePlan;
    expect(router.routes.map((r) => routeLine(r))).toContain('route add blackhole 0.0.0.0/0 table 100 metric 10');
    expect(router.rules.filter((r) => r.iif === 'br3')).toEqual([
      { family: 4, priority: expect.any(Number), iif: 'br3', table: 101 },
      { family: 6, priority: expect.any(Number), iif: 'br3', table: 101 },
    ]);
    const implicit = router.routes.filter((r) => r.table === 101).map((r) => routeLine(r));
    expect(implicit).toContain('route add blackhole 10.0.0.0/16 table 101 metric 10');
    expect(implicit.filter((l) => / via /.test(l))).toEqual([]);
    expect(implicit.some((l) => l.startsWith('route add 10.0.1.0/24 dev br'))).toBe(true);
  });

  it('refuses a design that puts addresses in the link space 169.254.0.0/16', () => {
    const clash = planKernelNetwork(inline({ nodes: [{ id: 'vpc', kind: 'vpc', cidr: '169.254.0.0/16' }] }));
    expect(clash).toMatchObject({ ok: false, problems: [{ code: 'lab-netns-address-clash' }] });
  });

  it('keeps public addresses out of the design and out of its route destinations', () => {
    const plan = planOf(
      inline({
        nodes: [
          { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
          { id: 'pub', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' },
          { id: 'rt', kind: 'route-table', parent: 'vpc', main: true, routes: [{ destination: '0.0.0.0/0', target: 'igw' }, { destination: '198.18.0.0/24', target: 'igw' }] },
          { id: 'web', kind: 'server', parent: 'pub', ip: '10.0.0.10' },
          { id: 'you', kind: 'client', ip: '198.18.1.1' },
        ],
      }),
    );
    expect(plan.addressing['web']?.public).toBe('198.18.1.2');
  });

  it('puts the router of a generic subnet on the first free address when a node took base + 1', () => {
    const plan = planOf(
      inline({
        provider: 'generic',
        nodes: [
          { id: 'net', kind: 'vpc', cidr: '192.168.0.0/24' },
          { id: 'lan', kind: 'subnet', parent: 'net', cidr: '192.168.0.0/24' },
          { id: 'rt', kind: 'route-table', parent: 'net', main: true },
          { id: 'first', kind: 'server', parent: 'lan', ip: '192.168.0.1' },
        ],
      }),
    );
    expect(plan.namespaces[0]?.addresses).toContainEqual({ dev: 'br1', cidr: '192.168.0.2/24' });
  });

  it('links two peered routers once, from the router earlier in the file, into the ingress table on both sides', () => {
    const plan = planOf(design('examples/vpc-peering.topolab.json'));
    const [first, second] = plan.namespaces.filter((n) => n.role === 'router') as [NamespacePlan, NamespacePlan];
    const peer = first.veths.find((v) => v.b.ns === second.name);
    expect(peer?.a.dev).toBe(peer?.b.dev);
    expect(second.veths.some((v) => v.b.ns === first.name)).toBe(false);
    for (const router of [first, second]) expect(router.rules).toContainEqual({ family: 4, priority: expect.any(Number), iif: peer?.a.dev, table: 10 });
  });
});

describe('a VPC that draws no route table', () => {
  const plan = planOf(design('test/fixtures/kernel/no-route-table.topolab.json'));
  const router = ns(plan, plan.routers['bare'] as string);

  it('sends each subnet to an implicit main table with the local routes of its VPC and nothing else, as trace and AWS do', () => {
    const tables = router.rules.filter((r) => r.iif !== undefined && r.table !== undefined && r.table >= 100).map((r) => r.table);
    expect(router.rules.some((r) => r.blackhole === true)).toBe(false);
    expect(new Set(tables)).toEqual(new Set([100]));
    const lines = router.routes.filter((r) => r.table === 100).map((r) => routeLine(r));
    expect(lines.some((l) => l.startsWith('route add 10.30.1.0/24 dev '))).toBe(true);
    expect(lines.some((l) => l.startsWith('route add 10.30.2.0/24 dev '))).toBe(true);
    expect(lines.some((l) => / via /.test(l))).toBe(false);
  });
});

describe('the VPC resolver (base + 2) of a design with DNS zones', () => {
  it('is an address of the router\'s loopback interface, planned only when the design has zones', () => {
    const withZones = planOf(design('test/fixtures/lab/dns.topolab.json'));
    expect(withZones.resolvers).toEqual({ vpc: '10.0.0.2' });
    const router = ns(withZones, withZones.routers['vpc'] as string);
    expect(router.addresses).toContainEqual({ dev: 'lo', cidr: '10.0.0.2/32' });
    const without = planOf(design('examples/two-tier-web.topolab.json'));
    expect(without.resolvers).toEqual({});
    expect(without.namespaces.flatMap((n) => n.addresses).filter((a) => a.dev === 'lo')).toEqual([]);
  });

  it("is never filtered by a node's security groups, as AWS's groups never filter the Amazon DNS server", () => {
    const topology = design('test/fixtures/lab/dns.topolab.json');
    topology.nodes.push({ id: 'sg-closed', kind: 'security-group', parent: 'vpc', inbound: [], outbound: [] } as unknown as Topology['nodes'][number]);
    topology.nodes = topology.nodes.map((n) => (n.id === 'web1' ? ({ ...n, securityGroups: ['sg-closed'] } as typeof n) : n));
    const plan = planOf(topology);
    const sg = ns(plan, plan.nodeNamespaces['web1'] as string).nftables['topolab-sg'] as string;
    expect(sg).toContain('ip daddr 10.0.0.2 meta l4proto { udp, tcp } th dport 53 accept');
    // Nothing else leaves: the closed group allows no outbound traffic.
    expect(sg.split('chain output')[1]?.split('}')[0]).not.toMatch(/ip daddr (?!10\.0\.0\.2 )/);
  });
});
