import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology, type Topology } from '../../../core/model/index.js';
import { trace, Tracer, type TraceRequest, type TraceResult } from '../../../core/routing/trace.js';
import type { TrafficProtocol } from '../../../core/routing/trace-types.js';
import { validateTopology } from '../../../core/validate/index.js';

/**
 * The Tracer's per-subnet cache with security groups and network ACLs: a walk through
 * filters reads its sender's groups, address and ephemeral ports, so it must never be
 * shared with another sender of the same subnet. A fixed case (two servers of one subnet,
 * different groups) and a seeded differential test over random filtered designs.
 */

const TIERS_GROUPS = parseTopology(readFileSync(new URL('../../fixtures/routing/tiers-groups.topolab.json', import.meta.url), 'utf8'));

describe('Tracer with security groups: senders of one subnet', () => {
  it('two servers of one subnet with different groups: one edge allowed, the other blocked by its own groups', () => {
    const tracer = new Tracer(TIERS_GROUPS);
    const a = tracer.trace({ from: 'web-a', to: 'db', port: 5432, protocol: 'tcp' });
    const b = tracer.trace({ from: 'web-b', to: 'db', port: 5432, protocol: 'tcp' });
    expect(a.verdict).toBe('reachable');
    expect(b).toMatchObject({ verdict: 'blocked', blockedBy: { code: 'security-group', nodeId: 'web-b', direction: 'outbound' } });
    // In the other order too (the first walk of the subnet must not decide the second).
    const reversed = new Tracer(TIERS_GROUPS);
    expect(reversed.trace({ from: 'web-b', to: 'db', port: 5432, protocol: 'tcp' }).verdict).toBe('blocked');
    expect(reversed.trace({ from: 'web-a', to: 'db', port: 5432, protocol: 'tcp' }).verdict).toBe('reachable');
  });

  it('validate traces every drawn edge with its own sender: connection-blocked for b-db only, naming web-b', () => {
    const blocked = validateTopology(TIERS_GROUPS).filter((d) => d.code === 'connection-blocked');
    expect(blocked.map((d) => d.path)).toEqual(['b-db']);
    expect(blocked[0]?.nodeIds).toEqual(['web-b', 'db']);
    expect(blocked[0]?.message).toMatch(/Edge "b-db" .* is blocked by "web-b": the security groups of server "web-b"/);
  });

  it('the same groups, different addresses: a /32 source rule admits one sender of the subnet only', () => {
    const design = withNodes(TIERS_GROUPS, (nodes) =>
      nodes.map((n) => {
        if (n.id === 'web-b') return { ...n, securityGroups: ['sg-a'] };
        if (n.id === 'sg-db') return { ...n, inbound: [{ protocol: 'tcp', ports: '5432', source: '10.0.1.10/32' }] };
        return n;
      }),
    );
    const tracer = new Tracer(design);
    expect(tracer.trace({ from: 'web-a', to: 'db', port: 5432 }).verdict).toBe('reachable');
    expect(tracer.trace({ from: 'web-b', to: 'db', port: 5432 }).blockedBy).toMatchObject({ code: 'security-group', nodeId: 'db', direction: 'inbound' });
  });

  it('one sender, different protocols and source ports are different flows', () => {
    const design = withNodes(TIERS_GROUPS, (nodes) => [
      ...nodes,
      {
        id: 'acl-data',
        kind: 'network-acl',
        parent: 'vpc',
        subnets: ['data'],
        inbound: [{ rule: 100, action: 'allow', protocol: 'all', cidr: '10.0.0.0/16' }],
        outbound: [{ rule: 100, action: 'allow', protocol: 'tcp', ports: '40000-40010', cidr: '10.0.1.0/24' }],
      },
    ]);
    const tracer = new Tracer(design);
    expect(tracer.trace({ from: 'web-a', to: 'db', port: 5432, sourcePort: 40005 }).verdict).toBe('reachable');
    expect(tracer.trace({ from: 'web-a', to: 'db', port: 5432 }).blockedBy).toMatchObject({ code: 'network-acl', leg: 'response' });
    expect(tracer.trace({ from: 'web-a', to: 'db', port: 5432, protocol: 'udp' }).blockedBy).toMatchObject({ code: 'security-group', nodeId: 'web-a' });
  });

  it('a design without filters still shares one walk per source subnet', () => {
    const plain = withNodes(TIERS_GROUPS, (nodes) =>
      nodes.filter((n) => n.kind !== 'security-group').map((n) => {
        const { securityGroups: _groups, ...rest } = n as typeof n & { securityGroups?: string[] };
        return rest;
      }),
    );
    const tracer = new Tracer(plain);
    expect(tracer.trace({ from: 'web-a', to: 'db', port: 5432 }).verdict).toBe('reachable');
    expect(tracer.trace({ from: 'web-b', to: 'db', port: 5432 }).verdict).toBe('reachable');
    expect(tracer.walks).toBe(1);
    // With filters, a walk each.
    const filtered = new Tracer(TIERS_GROUPS);
    filtered.trace({ from: 'web-a', to: 'db', port: 5432 });
    filtered.trace({ from: 'web-b', to: 'db', port: 5432 });
    expect(filtered.walks).toBe(2);
  });
});

/** A copy of a design with its nodes rewritten (parsed again, so the result is a valid design). */
function withNodes(topology: Topology, edit: (nodes: Record<string, unknown>[]) => Record<string, unknown>[]): Topology {
  return parseTopology(JSON.stringify({ ...topology, nodes: edit(topology.nodes as unknown as Record<string, unknown>[]) }));
}

// ---- the differential property test ---------------------------------------------------

/** mulberry32: a small seeded generator, so a failing design can be made again from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PORTS = [80, 443, 5432, 8080];
const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;

/**
 * A random design of two peered VPCs: a public and two private subnets in the first (a NAT
 * gateway, an internet gateway), one subnet in the second, several senders per subnet
 * (servers, balancers, clients, an auto-scaling group), random security groups (CIDR, /32
 * and group references, a default group sometimes) on random members, and random network
 * ACLs (allow and deny rules, numbered) on random subnets.
 */
function randomDesign(seed: number): Topology {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const chance = (p: number): boolean => rnd() < p;
  const nodes: Record<string, unknown>[] = [
    { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16', region: 'eu-west-1' },
    { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
    { id: 'pub', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' },
    { id: 'app', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
    { id: 'data', kind: 'subnet', parent: 'vpc', cidr: '10.0.2.0/24' },
    { id: 'nat', kind: 'nat-gateway', parent: 'pub', ip: '10.0.0.5' },
    { id: 'rt-pub', kind: 'route-table', parent: 'vpc', subnets: ['pub'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }, { destination: '10.1.0.0/16', target: 'pcx' }] },
    { id: 'rt-main', kind: 'route-table', parent: 'vpc', main: true, routes: [{ destination: '0.0.0.0/0', target: 'nat' }, { destination: '10.1.0.0/16', target: 'pcx' }] },
    { id: 'vpc2', kind: 'vpc', cidr: '10.1.0.0/16', region: 'eu-west-1' },
    { id: 'far', kind: 'subnet', parent: 'vpc2', cidr: '10.1.0.0/24' },
    { id: 'rt-far', kind: 'route-table', parent: 'vpc2', main: true, routes: [{ destination: '10.0.0.0/16', target: 'pcx' }] },
    { id: 'pcx', kind: 'peering', vpcs: ['vpc', 'vpc2'] },
    { id: 'visitor', kind: 'client', ip: '203.0.113.7' },
  ];
  const groupsByVpc: Record<string, string[]> = { vpc: ['sg-1', 'sg-2', 'sg-3'], vpc2: ['sg-far'] };
  const senders: { id: string; ip: string; vpc: string }[] = [];
  const subnets: [string, string, string][] = [
    ['pub', '10.0.0', 'vpc'],
    ['app', '10.0.1', 'vpc'],
    ['data', '10.0.2', 'vpc'],
    ['far', '10.1.0', 'vpc2'],
  ];
  for (const [subnet, prefix, vpc] of subnets) {
    const count = 2 + Math.floor(rnd() * 3);
    for (let i = 0; i < count; i++) {
      const id = `${subnet}-${i}`;
      const ip = `${prefix}.${10 + i}`;
      const kind = pick(['server', 'server', 'load-balancer', 'client'] as const);
      const node: Record<string, unknown> = { id, kind, parent: subnet, ip };
      if (kind !== 'client') node.port = pick(PORTS);
      if (kind === 'load-balancer' && subnet === 'pub') node.internetFacing = chance(0.5);
      if (chance(0.7)) node.securityGroups = [...new Set([pick(groupsByVpc[vpc] as string[]), ...(chance(0.3) ? [pick(groupsByVpc[vpc] as string[])] : [])])];
      nodes.push(node);
      senders.push({ id, ip, vpc });
    }
  }
  nodes.push({ id: 'asg', kind: 'autoscaling-group', parent: 'app', min: 1, max: 2, subnets: ['data'], template: { port: pick(PORTS) }, ...(chance(0.6) ? { securityGroups: [pick(groupsByVpc.vpc as string[])] } : {}) });
  const peer = (vpc: string): string => {
    const own = senders.filter((s) => s.vpc === vpc);
    return pick([
      '0.0.0.0/0',
      '10.0.0.0/16',
      '10.0.1.0/24',
      '10.1.0.0/16',
      `${pick(own).ip}/32`,
      `${pick(senders).ip}/32`,
      pick(groupsByVpc[vpc] as string[]),
      pick(groupsByVpc.vpc as string[]),
    ]);
  };
  const traffic = (): Record<string, unknown> => {
    const protocol = pick(PROTOCOLS);
    if (protocol === 'all' || protocol === 'icmp') return { protocol };
    return { protocol, ports: pick([String(pick(PORTS)), '1024-65535', '32768-60999', '0-65535', '40000-40010']) };
  };
  const defaultGroup = chance(0.5) ? pick(groupsByVpc.vpc as string[]) : undefined;
  for (const [vpc, ids] of Object.entries(groupsByVpc)) {
    for (const id of ids) {
      const rules = (side: 'source' | 'destination'): Record<string, unknown>[] => Array.from({ length: Math.floor(rnd() * 4) }, () => ({ ...traffic(), [side]: peer(vpc) }));
      nodes.push({ id, kind: 'security-group', parent: vpc, inbound: rules('source'), outbound: rules('destination'), ...(id === defaultGroup ? { default: true } : {}) });
    }
  }
  const aclRules = (): Record<string, unknown>[] => {
    const numbers = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => 100 + 10 * Math.floor(rnd() * 10)))];
    return numbers.map((rule) => ({ rule, action: chance(0.75) ? 'allow' : 'deny', ...traffic(), cidr: pick(['0.0.0.0/0', '10.0.0.0/16', '10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/25', '10.1.0.0/16', `${pick(senders).ip}/32`]) }));
  };
  const aclSubnets = ['pub', 'app', 'data'].filter(() => chance(0.6));
  if (aclSubnets.length > 0) nodes.push({ id: 'acl-1', kind: 'network-acl', parent: 'vpc', subnets: aclSubnets, inbound: aclRules(), outbound: aclRules() });
  if (chance(0.4)) nodes.push({ id: 'acl-default', kind: 'network-acl', parent: 'vpc', default: true, inbound: aclRules(), outbound: aclRules() });
  if (chance(0.5)) nodes.push({ id: 'acl-far', kind: 'network-acl', parent: 'vpc2', subnets: ['far'], inbound: aclRules(), outbound: aclRules() });
  return parseTopology(JSON.stringify({ schema: 'topolab/1', nodes, edges: [] }));
}

/** Random flows between the design's senders (and instances), to nodes and to addresses, with random protocols and ports. */
function randomFlows(topology: Topology, seed: number, count: number): TraceRequest[] {
  const rnd = random(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const ends = [...topology.nodes.filter((n) => ['server', 'load-balancer', 'client', 'nat-gateway'].includes(n.kind)).map((n) => n.id), 'asg#1', 'asg#2'];
  const targets = [...ends, '198.51.100.1', '10.0.1.99'];
  return Array.from({ length: count }, () => {
    const protocol = pick<TrafficProtocol | undefined>([undefined, 'tcp', 'tcp', 'udp', 'icmp']);
    const port = protocol === 'icmp' ? undefined : pick([undefined, ...PORTS]);
    const sourcePort = protocol === 'icmp' ? undefined : pick([undefined, undefined, 1500, 40005, 50000]);
    return {
      from: pick(ends),
      to: pick(targets),
      ...(port !== undefined ? { port } : {}),
      ...(protocol !== undefined ? { protocol } : {}),
      ...(sourcePort !== undefined ? { sourcePort } : {}),
    };
  });
}

type Outcome = { result: TraceResult } | { error: string };

function attempt(run: () => TraceResult): Outcome {
  try {
    return { result: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('Tracer: cached answers equal tracing each flow alone, on random designs with filters (seeded)', () => {
  const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

  it.each(SEEDS)('seed %i', (seed) => {
    const topology = randomDesign(seed);
    const flows = randomFlows(topology, seed, 160);
    // Each flow alone: a fresh tracer per flow (one walk: no end here is a whole group).
    const alone = flows.map((flow) => attempt(() => trace(topology, flow)));
    const tracer = new Tracer(topology);
    flows.forEach((flow, i) => expect(attempt(() => tracer.trace(flow)), `seed ${seed} ${JSON.stringify(flow)}`).toEqual(alone[i]));
    // Asked again in the reverse order, from the cache.
    [...flows.keys()].reverse().forEach((i) => expect(attempt(() => tracer.trace(flows[i] as TraceRequest)), `again seed ${seed} ${JSON.stringify(flows[i])}`).toEqual(alone[i]));
  });

  it('the random designs exercise the case: senders of one subnet with different verdicts to one destination and flow', () => {
    let differing = 0;
    for (const seed of SEEDS) {
      const topology = randomDesign(seed);
      const tracer = new Tracer(topology);
      const bySubnet = new Map<string, string[]>();
      for (const node of topology.nodes) if (['server', 'load-balancer', 'client'].includes(node.kind) && node.parent) bySubnet.set(node.parent, [...(bySubnet.get(node.parent) ?? []), node.id]);
      for (const ids of bySubnet.values()) {
        for (const to of ['data-0', 'far-0', 'app-0']) {
          const verdicts = new Set(ids.filter((id) => id !== to).map((from) => attempt(() => tracer.trace({ from, to, port: 5432 }))).map((o) => ('result' in o ? o.result.verdict : 'error')));
          if (verdicts.has('reachable') && verdicts.has('blocked')) differing += 1;
        }
      }
    }
    // Without such cases the differential test above could not catch a shared verdict.
    expect(differing).toBeGreaterThan(5);
  });
});
