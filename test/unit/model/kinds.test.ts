import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PARENTS,
  canSendTo,
  DEFAULT_PORTS,
  edgeTargetKinds,
  KIND_DESCRIPTORS,
  KINDS,
  kindsWhere,
  NODE_KINDS,
  NODE_SCHEMAS,
  NodeSchema,
  remapReferences,
  type TopologyNode,
} from '../../../core/model/index.js';

describe('kind descriptors', () => {
  it('derive NODE_KINDS and the node schema from one list, in palette order', () => {
    expect(NODE_KINDS).toEqual(KIND_DESCRIPTORS.map((d) => d.kind));
    expect(new Set(NODE_KINDS).size).toBe(NODE_KINDS.length);
    expect(NodeSchema.options.map((o) => o.shape.kind.value)).toEqual(NODE_KINDS);
  });

  it.each(KIND_DESCRIPTORS.map((d) => [d.kind, d] as const))('%s: schema, address and parents agree', (kind, d) => {
    const shape = (NODE_SCHEMAS[kind] as unknown as { shape: Record<string, unknown> }).shape;
    expect((shape['kind'] as { value: string }).value).toBe(kind);
    // An addressable kind has `ip` and `port` and a default port; no other kind does.
    expect('ip' in shape).toBe(d.traits.addressable);
    expect(d.defaultPort !== undefined).toBe(d.traits.addressable);
    for (const parent of d.parents) if (parent !== null) expect(NODE_KINDS).toContain(parent);
    // A new node of the kind, with its initial fields, is a valid node.
    expect(NODE_SCHEMAS[kind].safeParse({ id: 'x', kind, ...initialRequired(kind), ...d.initial }).success).toBe(true);
    // Only kinds that forward have an internet-facing switch or take the internet only when facing.
    expect('internetFacing' in shape).toBe(d.traits.internet === 'when-facing');
    expect(d.traits.forwards).toBe(d.traits.sends !== false && d.traits.sends.to.includes('pool'));
  });

  it('keeps the tables every layer used to write by hand', () => {
    expect(ALLOWED_PARENTS['server']).toEqual(['subnet', 'autoscaling-group']);
    expect(ALLOWED_PARENTS['client']).toEqual([null, 'subnet']);
    expect(DEFAULT_PORTS).toEqual({ server: 80, 'load-balancer': 80, 'reverse-proxy': 80, 'forward-proxy': 3128, cache: 80, 'nat-gateway': 0, client: 0 });
    expect(kindsWhere('forwards')).toEqual(['load-balancer', 'reverse-proxy', 'cache']);
    expect(kindsWhere((d) => d.traits.routeTarget !== false)).toEqual(['internet-gateway', 'nat-gateway', 'peering', 'server', 'forward-proxy']);
    expect(kindsWhere('traceEndpoint')).toEqual(['subnet', 'nat-gateway', 'server', 'load-balancer', 'reverse-proxy', 'forward-proxy', 'cache', 'client', 'autoscaling-group']);
  });

  it('decide what an edge may point at, for the canvas, validate and the lab alike', () => {
    expect(edgeTargetKinds('load-balancer')).toEqual(['server', 'load-balancer', 'reverse-proxy', 'cache', 'autoscaling-group']);
    expect(edgeTargetKinds('client')).toEqual(['server', 'load-balancer', 'reverse-proxy', 'forward-proxy', 'cache']);
    expect(edgeTargetKinds('forward-proxy')).toEqual(['server', 'load-balancer', 'reverse-proxy', 'cache']);
    // A server calls its dependencies at one address each; so does every instance of a group.
    expect(edgeTargetKinds('server')).toEqual(['server', 'load-balancer', 'reverse-proxy', 'cache']);
    expect(edgeTargetKinds('autoscaling-group')).toEqual(['server', 'load-balancer', 'reverse-proxy', 'cache']);
    expect(canSendTo('server', 'autoscaling-group')).toBe(false);
    expect(edgeTargetKinds('subnet')).toEqual([]);
    // A balancer, proxy or cache sends plain requests, which a forward proxy answers with 400.
    expect(canSendTo('load-balancer', 'forward-proxy')).toBe(false);
    expect(canSendTo('client', 'forward-proxy')).toBe(true);
    // A group has no address of its own: only a forwarder reaches it.
    expect(canSendTo('client', 'autoscaling-group')).toBe(false);
    expect(canSendTo('cache', 'cache')).toBe(true);
  });

  it('rewrites every declared reference, and drops what cannot stand without it', () => {
    const gone = new Set(['s2', 'vpc-b', 'web-2', 'igw']);
    const map = (id: string) => (gone.has(id) ? undefined : id === 's1' ? 'S1' : id);
    const table = { id: 't', kind: 'route-table', parent: 'vpc-a', subnets: ['s1', 's2'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }, { destination: '10.0.0.0/8', target: 'local' }] } as TopologyNode;
    expect(remapReferences(table, map)).toEqual({ ...table, subnets: ['S1'], routes: [{ destination: '10.0.0.0/8', target: 'local' }] });
    const peering = { id: 'p', kind: 'peering', vpcs: ['vpc-a', 'vpc-b'] } as TopologyNode;
    expect(remapReferences(peering, map)).toBeNull();
    const proxy = { id: 'rp', kind: 'reverse-proxy', parent: 's2', rules: [{ upstreams: ['web-2'] }, { upstreams: ['web-1', 'web-2'] }] } as TopologyNode;
    expect(remapReferences(proxy, map)).toEqual({ id: 'rp', kind: 'reverse-proxy', rules: [{ upstreams: ['web-1'] }] });
    const unchanged = { id: 'web-1', kind: 'server', parent: 'x' } as TopologyNode;
    expect(remapReferences(unchanged, map)).toBe(unchanged);
    expect(KINDS['autoscaling-group'].references.map((r) => r.field)).toEqual(['subnets', 'securityGroups']);
  });

  it('rewrites security group references: a rule naming a deleted group goes, an emptied list falls back to the default group', () => {
    const map = (id: string) => (id === 'sg-old' ? undefined : id === 'sg-a' ? 'sg-A' : id);
    const group = {
      id: 'sg-web',
      kind: 'security-group',
      parent: 'vpc',
      inbound: [{ protocol: 'tcp', ports: '80', source: 'sg-old' }, { protocol: 'tcp', ports: '80', source: '10.0.0.0/16' }, { protocol: 'all', source: 'sg-a' }],
      outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }],
    } as TopologyNode;
    expect(remapReferences(group, map)).toEqual({
      ...group,
      inbound: [{ protocol: 'tcp', ports: '80', source: '10.0.0.0/16' }, { protocol: 'all', source: 'sg-A' }],
    });
    const server = { id: 'web', kind: 'server', parent: 's', securityGroups: ['sg-old'] } as TopologyNode;
    expect(remapReferences(server, map)).toEqual({ id: 'web', kind: 'server', parent: 's' });
    const renamed = { id: 'web', kind: 'server', parent: 's', securityGroups: ['sg-a', 'sg-old'] } as TopologyNode;
    expect(remapReferences(renamed, map)).toEqual({ ...renamed, securityGroups: ['sg-A'] });
    const acl = { id: 'acl', kind: 'network-acl', parent: 'vpc', subnets: ['s', 'sg-old'], inbound: [], outbound: [] } as TopologyNode;
    expect(remapReferences(acl, map)).toEqual({ ...acl, subnets: ['s'] });
  });

  it('say which kinds security groups filter and where replies come back', () => {
    expect(kindsWhere('securityGroups')).toEqual(['server', 'load-balancer', 'reverse-proxy', 'forward-proxy', 'cache', 'client', 'autoscaling-group']);
    const ephemeral = Object.fromEntries(KIND_DESCRIPTORS.filter((d) => d.traits.ephemeralPorts).map((d) => [d.kind, d.traits.ephemeralPorts]));
    const linux = { from: 32768, to: 60999 };
    const wide = { from: 1024, to: 65535 };
    expect(ephemeral).toEqual({ 'nat-gateway': wide, server: linux, 'load-balancer': wide, 'reverse-proxy': wide, 'forward-proxy': wide, cache: wide, client: linux, 'autoscaling-group': linux });
    // Every kind that takes security groups has the field, and no other kind has it.
    for (const d of KIND_DESCRIPTORS) expect('securityGroups' in (NODE_SCHEMAS[d.kind] as unknown as { shape: object }).shape, d.kind).toBe(d.traits.securityGroups);
  });
});

/** Required fields a new node gets from the canvas besides the descriptor's initial ones. */
function initialRequired(kind: string): Record<string, unknown> {
  if (kind === 'vpc') return { cidr: '10.0.0.0/16' };
  if (kind === 'subnet') return { cidr: '10.0.1.0/24' };
  if (kind === 'peering') return { vpcs: ['a', 'b'] };
  // A zone's name is its domain: addNode gives a new one `<id>.example`.
  if (kind === 'dns-zone') return { name: 'shop.example' };
  return {};
}
