import { readFileSync } from 'node:fs';
import { parseTopology, type Topology, type TopologyNode } from '../../../core/model/index.js';
import type { BlockedBy, NetworkAclBlock, TraceRequest } from '../../../core/routing/index.js';

/**
 * Security groups and network ACLs in `trace`, one table row per rule of AWS's semantics,
 * each on a variant of test/fixtures/routing/filters.topolab.json: lb (public-a, sg-lb) ->
 * web-1, web-2 (app-a, sg-web) and asg (app-b, sg-web) -> db (db-a, sg-db, which has no
 * outbound rule) and svc (a peered VPC, sg-svc). acl-app sits at app-a and app-b, acl-db at
 * db-a; public-a has no ACL until a case gives the VPC a default one.
 */
export const base = parseTopology(readFileSync(new URL('../../fixtures/routing/filters.topolab.json', import.meta.url), 'utf8'));

type Mutation = (t: Topology) => void;
type Rule = Record<string, unknown>;

function node(t: Topology, id: string): Record<string, unknown> {
  const found = t.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id} in the fixture`);
  return found as unknown as Record<string, unknown>;
}
export const set =
  (id: string, fields: Record<string, unknown>): Mutation =>
  (t) => {
    const n = node(t, id);
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) delete n[key];
      else n[key] = value;
    }
  };
const add =
  (...nodes: Rule[]): Mutation =>
  (t) => {
    t.nodes.push(...(structuredClone(nodes) as unknown as TopologyNode[]));
  };
const all =
  (...mutations: Mutation[]): Mutation =>
  (t) => mutations.forEach((m) => m(t));
const rule = (n: number, action: 'allow' | 'deny', protocol: string, ports: string | undefined, cidr: string): Rule => ({ rule: n, action, protocol, ...(ports ? { ports } : {}), cidr });
/** A default ACL for the VPC (public-a is the only subnet no ACL lists). */
const publicAcl = (inbound: Rule[], outbound: Rule[]): Mutation => add({ id: 'acl-public', kind: 'network-acl', parent: 'vpc', default: true, subnets: [], inbound, outbound });
export const openPublic = publicAcl([rule(100, 'allow', 'all', undefined, '0.0.0.0/0')], [rule(100, 'allow', 'all', undefined, '0.0.0.0/0')]);

/** Routes app-a's internet traffic through a server in public-a whose group has these inbound rules. */
function router(inbound: Rule[]): Mutation {
  return all(
    add(
      { id: 'sg-router', kind: 'security-group', parent: 'vpc', inbound, outbound: [{ protocol: 'tcp', ports: '443', destination: '0.0.0.0/0' }] },
      { id: 'router', kind: 'server', parent: 'public-a', ip: '10.0.0.30', securityGroups: ['sg-router'] },
    ),
    set('rt-private', { routes: [{ destination: '0.0.0.0/0', target: 'router' }] }),
  );
}

export function variant(mutate: Mutation): Topology {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}

export interface Case {
  name: string;
  mutate?: Mutation;
  request: TraceRequest;
  /** `reachable`, or the blocker (matched as a subset; `reason` as a pattern). */
  expect: 'reachable' | (Partial<Omit<NetworkAclBlock, 'code' | 'reason'>> & { code: BlockedBy['code']; reason?: RegExp });
  /** Filter hops the path must list, in order, as `kind nodeId rule`. */
  filters?: string[];
}

export const CASES: Case[] = [
  {
    name: 'groups and ACLs allow the request and its reply: every filter passed is a hop naming its rule',
    request: { from: 'lb', to: 'web-1' },
    expect: 'reachable',
    filters: ['security-group sg-lb 0', 'network-acl acl-app 100', 'security-group sg-web 0', 'network-acl acl-app 100'],
  },
  {
    name: 'security groups are stateful: sg-db has no outbound rule, yet answers web-1',
    request: { from: 'web-1', to: 'db' },
    expect: 'reachable',
    filters: ['security-group sg-web 0', 'network-acl acl-app 110', 'network-acl acl-db 100', 'security-group sg-db 0', 'network-acl acl-db 100', 'network-acl acl-app 110'],
  },
  {
    name: 'a group with no outbound rules lets nothing out',
    request: { from: 'db', to: 'web-1' },
    expect: { code: 'security-group', nodeId: 'db', direction: 'outbound', reason: /no outbound rule at all/ },
  },
  {
    name: "the source's groups come first: an outbound refusal before routing",
    mutate: set('rt-private', { routes: [] }),
    request: { from: 'db', to: '8.8.8.8', port: 443 },
    expect: { code: 'security-group', nodeId: 'db', direction: 'outbound' },
  },
  {
    name: "the destination's groups: a port its inbound rules do not list",
    mutate: set('sg-lb', { outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] }),
    request: { from: 'lb', to: 'web-1', port: 9090 },
    expect: { code: 'security-group', nodeId: 'web-1', direction: 'inbound', reason: /allow no inbound tcp port 9090 from 10\.0\.0\.20/ },
  },
  {
    name: 'a group reference matches members only: web-2 is not in sg-lb',
    mutate: set('sg-web', { outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] }),
    request: { from: 'web-2', to: 'web-1' },
    expect: { code: 'security-group', nodeId: 'web-1', direction: 'inbound' },
  },
  {
    name: "a default group's self reference lets its members reach each other",
    mutate: all(
      add({ id: 'sg-default', kind: 'security-group', parent: 'vpc', default: true, inbound: [{ protocol: 'all', source: 'sg-default' }], outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] }),
      set('web-1', { securityGroups: undefined }),
      set('web-2', { securityGroups: undefined }),
    ),
    request: { from: 'web-2', to: 'web-1' },
    expect: 'reachable',
    filters: ['security-group sg-default 0', 'security-group sg-default 0'],
  },
  {
    name: "near miss: the default group's self reference does not let a non-member in",
    mutate: all(
      add({ id: 'sg-default', kind: 'security-group', parent: 'vpc', default: true, inbound: [{ protocol: 'all', source: 'sg-default' }], outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] }),
      set('web-1', { securityGroups: undefined }),
      set('sg-lb', { outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] }),
    ),
    request: { from: 'lb', to: 'web-1' },
    expect: { code: 'security-group', nodeId: 'web-1', direction: 'inbound', reason: /the default group of its VPC/ },
  },
  {
    name: 'a node with no groups in a VPC with no default group is unfiltered',
    mutate: all(set('web-1', { securityGroups: undefined }), set('sg-lb', { outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] })),
    request: { from: 'lb', to: 'web-1' },
    expect: 'reachable',
    filters: ['security-group sg-lb 0', 'network-acl acl-app 100', 'network-acl acl-app 100'],
  },
  {
    name: 'ACLs are not applied inside one subnet: acl-app allows 8080 only from public-a',
    mutate: set('sg-web', { inbound: [{ protocol: 'tcp', ports: '8080', source: 'sg-web' }], outbound: [{ protocol: 'tcp', ports: '8080', destination: 'sg-web' }] }),
    request: { from: 'web-2', to: 'web-1' },
    expect: 'reachable',
    filters: ['security-group sg-web 0', 'security-group sg-web 0'],
  },
  {
    name: 'near miss: the same flow between two subnets of the same ACL crosses a boundary',
    mutate: set('sg-web', { inbound: [{ protocol: 'tcp', ports: '8080', source: 'sg-web' }], outbound: [{ protocol: 'tcp', ports: '8080', destination: 'sg-web' }] }),
    request: { from: 'asg#1', to: 'web-1' },
    expect: { code: 'network-acl', nodeId: 'acl-app', direction: 'outbound', leg: 'request', rule: null },
  },
  {
    name: 'the reply is blocked by a missing outbound ephemeral rule',
    mutate: set('acl-app', { outbound: [rule(110, 'allow', 'tcp', '5432', '10.0.3.0/24')] }),
    request: { from: 'lb', to: 'web-1' },
    expect: { code: 'network-acl', nodeId: 'acl-app', direction: 'outbound', leg: 'response', rule: null, reason: /refuses the reply, outbound tcp ports 1024-65535 to 10\.0\.0\.20 \(the reply to load balancer "lb" on its ephemeral ports\): no rule allows it/ },
  },
  {
    name: 'first match by rule number: a lower-numbered allow before a deny',
    mutate: set('acl-app', {
      inbound: [rule(200, 'deny', 'tcp', '8080', '10.0.0.0/24'), rule(50, 'allow', 'tcp', '8080', '10.0.0.20/32'), rule(110, 'allow', 'tcp', '1024-65535', '0.0.0.0/0')],
    }),
    request: { from: 'lb', to: 'web-1' },
    expect: 'reachable',
    filters: ['security-group sg-lb 0', 'network-acl acl-app 50', 'security-group sg-web 0', 'network-acl acl-app 100'],
  },
  {
    name: 'first match by rule number: a lower-numbered deny before an allow',
    mutate: set('acl-app', {
      inbound: [rule(50, 'deny', 'tcp', '8080', '10.0.0.0/24'), rule(100, 'allow', 'tcp', '8080', '10.0.0.20/32'), rule(110, 'allow', 'tcp', '1024-65535', '0.0.0.0/0')],
    }),
    request: { from: 'lb', to: 'web-1' },
    expect: { code: 'network-acl', nodeId: 'acl-app', direction: 'inbound', leg: 'request', rule: 50, reason: /rule 50 \(deny tcp 8080 from 10\.0\.0\.0\/24\) denies it/ },
  },
  {
    name: "the reply must pass on every port of the initiator's ephemeral range (a server's: 32768-60999)",
    mutate: set('acl-db', { outbound: [rule(100, 'allow', 'tcp', '32768-50000', '10.0.0.0/16')] }),
    request: { from: 'web-1', to: 'db' },
    expect: { code: 'network-acl', nodeId: 'acl-db', direction: 'outbound', leg: 'response', rule: null, reason: /\(ports 50001-60999\)/ },
  },
  {
    name: '--source-port traces one port: the reply to 40000 passes the same ACL',
    mutate: set('acl-db', { outbound: [rule(100, 'allow', 'tcp', '32768-50000', '10.0.0.0/16')] }),
    request: { from: 'web-1', to: 'db', sourcePort: 40000 },
    expect: 'reachable',
  },
  {
    name: "a balancer's replies go to 1024-65535, wider than a server's",
    mutate: set('acl-app', { outbound: [rule(100, 'allow', 'tcp', '32768-60999', '10.0.0.0/24')] }),
    request: { from: 'lb', to: 'web-1' },
    expect: { code: 'network-acl', nodeId: 'acl-app', direction: 'outbound', leg: 'response', reason: /ports 1024-32767, 61000-65535/ },
  },
  {
    name: 'a deny inside the ephemeral range, numbered before the allow, refuses the reply',
    mutate: set('acl-app', { inbound: [rule(100, 'allow', 'tcp', '8080', '10.0.0.0/24'), rule(105, 'deny', 'tcp', '40000-40100', '0.0.0.0/0'), rule(110, 'allow', 'tcp', '1024-65535', '0.0.0.0/0')] }),
    request: { from: 'web-1', to: 'db' },
    expect: { code: 'network-acl', nodeId: 'acl-app', direction: 'inbound', leg: 'response', rule: 105 },
  },
  {
    name: "the source subnet's ACL, outbound",
    mutate: set('acl-app', { outbound: [rule(100, 'allow', 'tcp', '1024-65535', '10.0.0.0/24'), rule(110, 'deny', 'tcp', '5432', '10.0.3.0/24')] }),
    request: { from: 'web-1', to: 'db' },
    expect: { code: 'network-acl', nodeId: 'acl-app', direction: 'outbound', leg: 'request', rule: 110 },
  },
  {
    name: 'a default ACL filters the subnets no ACL lists; the internet client replies go to 32768-60999',
    mutate: publicAcl([rule(100, 'allow', 'tcp', '80', '0.0.0.0/0')], [rule(100, 'allow', 'tcp', '1024-32767', '0.0.0.0/0')]),
    request: { from: 'visitor', to: 'lb' },
    expect: { code: 'network-acl', nodeId: 'acl-public', direction: 'outbound', leg: 'response', reason: /internet client "visitor" on its ephemeral ports/ },
  },
  {
    name: 'near miss: the same default ACL with the ephemeral range open',
    mutate: publicAcl([rule(100, 'allow', 'tcp', '80', '0.0.0.0/0')], [rule(100, 'allow', 'tcp', '1024-65535', '0.0.0.0/0')]),
    request: { from: 'visitor', to: 'lb' },
    expect: 'reachable',
    filters: ['network-acl acl-public 100', 'security-group sg-lb 0', 'network-acl acl-public 100'],
  },
  {
    name: "through a NAT gateway: the replies come back to the NAT's ephemeral ports (1024-65535)",
    mutate: publicAcl([rule(100, 'allow', 'tcp', '443', '10.0.0.0/16'), rule(110, 'allow', 'tcp', '32768-65535', '0.0.0.0/0')], [rule(100, 'allow', 'all', undefined, '0.0.0.0/0')]),
    request: { from: 'web-1', to: '1.1.1.1', port: 443 },
    expect: { code: 'network-acl', nodeId: 'acl-public', direction: 'inbound', leg: 'response', reason: /the reply to NAT gateway "nat" on its ephemeral ports.*ports 1024-32767/ },
  },
  {
    name: 'near miss: the NAT subnet admits 1024-65535 back',
    mutate: publicAcl([rule(100, 'allow', 'tcp', '443', '10.0.0.0/16'), rule(110, 'allow', 'tcp', '1024-65535', '0.0.0.0/0')], [rule(100, 'allow', 'all', undefined, '0.0.0.0/0')]),
    request: { from: 'web-1', to: '1.1.1.1', port: 443 },
    expect: 'reachable',
    filters: ['security-group sg-web 2', 'network-acl acl-app 120', 'network-acl acl-public 100', 'network-acl acl-public 100', 'network-acl acl-public 110', 'network-acl acl-public 100', 'network-acl acl-app 110'],
  },
  {
    name: "an instance a route targets filters what it forwards with its own groups",
    mutate: router([{ protocol: 'tcp', ports: '80', source: '10.0.0.0/16' }]),
    request: { from: 'web-1', to: '1.1.1.1', port: 443 },
    expect: { code: 'security-group', nodeId: 'router', direction: 'inbound', reason: /allow no inbound tcp port 443 from 10\.0\.1\.10/ },
  },
  {
    name: 'near miss: the router admits 443 and sends it on',
    mutate: router([{ protocol: 'tcp', ports: '443', source: '10.0.0.0/16' }]),
    request: { from: 'web-1', to: '1.1.1.1', port: 443 },
    expect: 'reachable',
    filters: ['security-group sg-web 2', 'network-acl acl-app 120', 'security-group sg-router 0', 'security-group sg-router 0', 'network-acl acl-app 110'],
  },
  {
    name: 'a group reference to a peered VPC in the same region',
    request: { from: 'web-1', to: 'svc' },
    expect: 'reachable',
    filters: ['security-group sg-web 1', 'network-acl acl-app 130', 'security-group sg-svc 0', 'network-acl acl-app 110'],
  },
  {
    name: 'a cross-region group reference is refused: it matches nothing, and the reason says why',
    mutate: set('vpc-peer', { region: 'us-east-1' }),
    request: { from: 'web-1', to: 'svc' },
    expect: { code: 'security-group', nodeId: 'svc', direction: 'inbound', reason: /AWS refuses group references across regions/ },
  },
  {
    name: 'udp: a tcp rule does not allow it',
    request: { from: 'web-1', to: 'db', protocol: 'udp', port: 5432 },
    expect: { code: 'security-group', nodeId: 'web-1', direction: 'outbound', reason: /allow no outbound udp port 5432/ },
  },
  {
    name: 'icmp through "all" rules, its reply included',
    mutate: all(
      set('sg-lb', { outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] }),
      set('sg-web', { inbound: [{ protocol: 'icmp', source: '10.0.0.0/24' }] }),
      set('acl-app', { inbound: [rule(100, 'allow', 'icmp', undefined, '10.0.0.0/24')], outbound: [rule(100, 'allow', 'all', undefined, '10.0.0.0/24')] }),
    ),
    request: { from: 'lb', to: 'web-1', protocol: 'icmp' },
    expect: 'reachable',
    filters: ['security-group sg-lb 0', 'network-acl acl-app 100', 'security-group sg-web 0', 'network-acl acl-app 100'],
  },
  {
    name: 'auto-scaling instances are filtered one by one, each at its own subnet',
    mutate: all(set('acl-app', { subnets: ['app-a'] }), add({ id: 'acl-b', kind: 'network-acl', parent: 'vpc', subnets: ['app-b'], inbound: [], outbound: [] })),
    request: { from: 'lb', to: 'asg' },
    expect: { code: 'network-acl', nodeId: 'acl-b', direction: 'inbound', leg: 'request', rule: null, reason: /traffic to every instance of auto-scaling group "asg" is blocked/ },
  },
];
