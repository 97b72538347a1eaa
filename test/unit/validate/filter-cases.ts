import type { TopologyNode } from '../../../core/model/index.js';
import type { DiagnosticCode, Severity } from '../../../core/validate/index.js';
import { add, all, patch, provider, type Mutation } from './helpers.js';

/**
 * The security group and network ACL codes, each with a trigger and a near miss, as
 * codes.test.ts runs them against the base fixture (nodes 0-15; added nodes start at 17:
 * vpc-main 0, public-a 2, private-a 3, lb 7, web-1 8, vpc-peer 10, peer-sub 11, asg 14,
 * visitor 15; vpc-main and vpc-peer are peered in eu-west-1).
 */
export interface FilterCodeCase {
  code: DiagnosticCode;
  name: string;
  trigger: Mutation;
  severity: Severity;
  nodeIds: string[];
  path: string;
  fix?: { field: string; value: unknown };
  message: RegExp;
  nearMiss: Mutation;
  nearMissName: string;
}

type Rule = Record<string, unknown>;
const sg = (id: string, inbound: Rule[] = [], outbound: Rule[] = [{ protocol: 'all', destination: '0.0.0.0/0' }], extra: Rule = {}, parent = 'vpc-main'): TopologyNode =>
  ({ id, kind: 'security-group', parent, inbound, outbound, ...extra }) as TopologyNode;
const acl = (id: string, subnets: string[], inbound: Rule[], outbound: Rule[], extra: Rule = {}, parent = 'vpc-main'): TopologyNode =>
  ({ id, kind: 'network-acl', parent, subnets, inbound, outbound, ...extra }) as TopologyNode;
const allow = (rule: number, protocol: string, ports: string | undefined, cidr: string): Rule => ({ rule, action: 'allow', protocol, ...(ports ? { ports } : {}), cidr });
const many = (n: number, make: (i: number) => Rule): Rule[] => Array.from({ length: n }, (_, i) => make(i));
/** `n` empty groups of vpc-main, sg-0 to sg-(n-1). */
const groups = (n: number): TopologyNode[] => Array.from({ length: n }, (_, i) => sg(`sg-${i}`));
/** An ACL whose replies are all allowed, with `inbound` as given. */
const returning = (id: string, subnets: string[], inbound: Rule[]): TopologyNode => acl(id, subnets, inbound, [allow(100, 'all', undefined, '0.0.0.0/0')]);

export const FILTER_CASES: FilterCodeCase[] = [
  {
    code: 'sg-rule-invalid',
    name: 'a tcp rule without ports',
    trigger: add(sg('sg-web', [{ protocol: 'tcp', source: '10.0.0.0/24' }])),
    severity: 'error',
    nodeIds: ['sg-web'],
    path: 'nodes[17].inbound[0].protocol',
    message: /rule inbound\[0\]: tcp rules need "ports"/,
    nearMiss: add(sg('sg-web', [{ protocol: 'tcp', ports: '80', source: '10.0.0.0/24' }])),
    nearMissName: 'the same rule on port 80',
  },
  {
    code: 'sg-rule-invalid',
    name: 'ports on an "all" rule',
    trigger: add(sg('sg-web', [], [{ protocol: 'all', ports: '80', destination: '0.0.0.0/0' }])),
    severity: 'error',
    nodeIds: ['sg-web'],
    path: 'nodes[17].outbound[0].ports',
    message: /"ports" is refused for protocol "all"/,
    nearMiss: add(sg('sg-web', [], [{ protocol: 'all', destination: '0.0.0.0/0' }])),
    nearMissName: 'an "all" rule without ports',
  },
  {
    code: 'sg-rule-invalid',
    name: 'a port range above 65535',
    trigger: add(sg('sg-web', [{ protocol: 'udp', ports: '1024-65536', source: '10.0.0.0/24' }])),
    severity: 'error',
    nodeIds: ['sg-web'],
    path: 'nodes[17].inbound[0].ports',
    message: /out of range: ports run from 0 to 65535/,
    nearMiss: add(sg('sg-web', [{ protocol: 'udp', ports: '1024-65535', source: '10.0.0.0/24' }])),
    nearMissName: 'the range up to 65535',
  },
  {
    code: 'sg-rule-invalid',
    name: 'a source CIDR with host bits',
    trigger: add(sg('sg-web', [{ protocol: 'tcp', ports: '443', source: '10.0.0.5/24' }])),
    severity: 'error',
    nodeIds: ['sg-web'],
    path: 'nodes[17].inbound[0].source',
    fix: { field: 'inbound[0].source', value: '10.0.0.0/24' },
    message: /host bits set/,
    nearMiss: add(sg('sg-web', [{ protocol: 'tcp', ports: '443', source: '10.0.0.5/32' }])),
    nearMissName: 'the host as a /32',
  },
  {
    code: 'sg-reference-invalid',
    name: 'a rule naming a group of a peered VPC in another region',
    trigger: all(patch('vpc-peer', { region: 'us-east-1' }), add(sg('sg-shared', [], undefined, {}, 'vpc-peer'), sg('sg-web', [{ protocol: 'tcp', ports: '80', source: 'sg-shared' }]))),
    severity: 'error',
    nodeIds: ['sg-web', 'sg-shared'],
    path: 'nodes[18].inbound[0].source',
    message: /across regions: AWS refuses group references across regions/,
    nearMiss: add(sg('sg-shared', [], undefined, {}, 'vpc-peer'), sg('sg-web', [{ protocol: 'tcp', ports: '80', source: 'sg-shared' }])),
    nearMissName: 'the same reference to a peer in the same region',
  },
  {
    code: 'sg-reference-invalid',
    name: 'a rule naming a group of an unpeered VPC',
    trigger: add({ id: 'vpc-x', kind: 'vpc', cidr: '10.9.0.0/16', region: 'eu-west-1' } as TopologyNode, sg('sg-far', [], undefined, {}, 'vpc-x'), sg('sg-web', [], [{ protocol: 'tcp', ports: '5432', destination: 'sg-far' }])),
    severity: 'error',
    nodeIds: ['sg-web', 'sg-far'],
    path: 'nodes[19].outbound[0].destination',
    message: /not peered with VPC "vpc-main"/,
    nearMiss: add({ id: 'vpc-x', kind: 'vpc', cidr: '10.9.0.0/16', region: 'eu-west-1' } as TopologyNode, sg('sg-far', [], undefined, {}, 'vpc-x'), sg('sg-web', [], [{ protocol: 'tcp', ports: '5432', destination: '10.9.0.0/16' }])),
    nearMissName: 'the same rule naming the VPC by its CIDR',
  },
  {
    code: 'sg-reference-invalid',
    name: 'a server listing an unknown group',
    trigger: all(add(sg('sg-web')), patch('web-1', { securityGroups: ['sg-web', 'sg-nope'] })),
    severity: 'error',
    nodeIds: ['web-1'],
    path: 'nodes[8].securityGroups[1]',
    message: /^Server "web-1" lists "sg-nope", which is not a node of this design$/,
    nearMiss: all(add(sg('sg-web')), patch('web-1', { securityGroups: ['sg-web'] })),
    nearMissName: 'a server listing a group of its VPC',
  },
  {
    code: 'sg-quota',
    name: '61 inbound rules in one group',
    trigger: add(sg('sg-big', many(61, (i) => ({ protocol: 'tcp', ports: String(1000 + i), source: '10.0.0.0/16' })))),
    severity: 'error',
    nodeIds: ['sg-big'],
    path: 'nodes[17].inbound[60]',
    message: /61 inbound rules; AWS allows at most 60/,
    nearMiss: add(sg('sg-big', many(60, (i) => ({ protocol: 'tcp', ports: String(1000 + i), source: '10.0.0.0/16' })))),
    nearMissName: '60 inbound rules',
  },
  {
    code: 'sg-quota',
    name: 'a server in 6 groups',
    trigger: all(add(...groups(6)), patch('web-1', { securityGroups: groups(6).map((g) => g.id) })),
    severity: 'error',
    nodeIds: ['web-1'],
    path: 'nodes[8].securityGroups[5]',
    message: /in 6 security groups; AWS allows at most 5/,
    nearMiss: all(add(...groups(6)), patch('web-1', { securityGroups: groups(5).map((g) => g.id) })),
    nearMissName: 'a server in 5 groups',
  },
  {
    code: 'nacl-rule-invalid',
    name: 'rule number 32767',
    trigger: add(returning('acl-a', ['private-a'], [allow(32767, 'all', undefined, '0.0.0.0/0')])),
    severity: 'error',
    nodeIds: ['acl-a'],
    path: 'nodes[17].inbound[0].rule',
    message: /rule number 32767 is out of range: ACL rules are numbered 1 to 32766/,
    nearMiss: add(returning('acl-a', ['private-a'], [allow(32766, 'all', undefined, '0.0.0.0/0')])),
    nearMissName: 'rule number 32766',
  },
  {
    code: 'nacl-rule-invalid',
    name: 'a udp rule with a backwards range',
    trigger: add(returning('acl-a', ['private-a'], [allow(100, 'udp', '2000-1000', '0.0.0.0/0')])),
    severity: 'error',
    nodeIds: ['acl-a'],
    path: 'nodes[17].inbound[0].ports',
    message: /runs backwards: write the low port first \("1000-2000"\)/,
    nearMiss: add(returning('acl-a', ['private-a'], [allow(100, 'udp', '1000-2000', '0.0.0.0/0')])),
    nearMissName: 'the range written low to high',
  },
  {
    code: 'nacl-rule-duplicate',
    name: 'two inbound rules numbered 100',
    trigger: add(returning('acl-a', ['private-a'], [allow(100, 'tcp', '80', '0.0.0.0/0'), { ...allow(100, 'tcp', '22', '10.0.0.0/16'), action: 'deny' }])),
    severity: 'error',
    nodeIds: ['acl-a'],
    path: 'nodes[17].inbound[1].rule',
    message: /two inbound rules numbered 100 \(inbound\[0\] and inbound\[1\]\)/,
    nearMiss: add(acl('acl-a', ['private-a'], [allow(100, 'tcp', '80', '0.0.0.0/0')], [allow(100, 'tcp', '1024-65535', '0.0.0.0/0')])),
    nearMissName: 'rule 100 once inbound and once outbound',
  },
  {
    code: 'nacl-quota',
    name: '21 inbound rules (a warning)',
    trigger: add(returning('acl-a', ['private-a'], many(21, (i) => allow(100 + i, 'tcp', String(8000 + i), '0.0.0.0/0')))),
    severity: 'warning',
    nodeIds: ['acl-a'],
    path: 'nodes[17].inbound[20]',
    message: /21 inbound rules; AWS's default quota is 20/,
    nearMiss: add(returning('acl-a', ['private-a'], many(20, (i) => allow(100 + i, 'tcp', String(8000 + i), '0.0.0.0/0')))),
    nearMissName: '20 inbound rules',
  },
  {
    code: 'nacl-quota',
    name: '41 outbound rules (an error)',
    trigger: add(acl('acl-a', ['private-a'], [allow(100, 'all', undefined, '0.0.0.0/0')], many(41, (i) => allow(100 + i, 'all', undefined, `10.${i}.0.0/16`)))),
    severity: 'error',
    nodeIds: ['acl-a'],
    path: 'nodes[17].outbound[40]',
    message: /41 outbound rules; AWS allows at most 40/,
    nearMiss: all(provider('generic'), add(acl('acl-a', ['private-a'], [allow(100, 'all', undefined, '0.0.0.0/0')], many(41, (i) => allow(100 + i, 'all', undefined, `10.${i}.0.0/16`))))),
    nearMissName: 'the same ACL on the generic provider, which has no ACL quota',
  },
  {
    code: 'nacl-subnet-conflict',
    name: 'a subnet in two ACLs',
    trigger: add(returning('acl-a', ['private-a'], []), returning('acl-b', ['public-a', 'private-a'], [])),
    severity: 'error',
    nodeIds: ['private-a', 'acl-a', 'acl-b'],
    path: 'nodes[18].subnets[1]',
    message: /Subnet "private-a" is listed by network ACLs "acl-a" and "acl-b"/,
    nearMiss: add(returning('acl-a', ['private-a'], []), returning('acl-b', ['public-a'], [])),
    nearMissName: 'two ACLs with a subnet each',
  },
  {
    code: 'nacl-subnet-conflict',
    name: 'an ACL listing a subnet of another VPC',
    trigger: add(returning('acl-a', ['peer-sub'], [])),
    severity: 'error',
    nodeIds: ['acl-a', 'peer-sub'],
    path: 'nodes[17].subnets[0]',
    message: /an ACL filters only subnets of its own VPC/,
    nearMiss: add({ ...returning('acl-a', ['peer-sub'], []), parent: 'vpc-peer' } as TopologyNode),
    nearMissName: 'an ACL of the peer VPC listing it',
  },
  {
    code: 'default-duplicate',
    name: 'two default security groups in one VPC',
    trigger: add(sg('sg-a', [], undefined, { default: true }), sg('sg-b', [], undefined, { default: true })),
    severity: 'error',
    nodeIds: ['sg-b', 'sg-a', 'vpc-main'],
    path: 'nodes[18].default',
    fix: { field: 'default', value: false },
    message: /VPC "main" \(vpc-main\) has two default security groups, "sg-a" and "sg-b"/,
    nearMiss: add(sg('sg-a', [], undefined, { default: true }), sg('sg-b', [], undefined, { default: true }, 'vpc-peer')),
    nearMissName: 'one default group in each VPC',
  },
  {
    code: 'default-duplicate',
    name: 'two default ACLs in one VPC',
    trigger: add(returning('acl-a', [], []), { ...returning('acl-b', [], []), default: true } as TopologyNode, { ...returning('acl-c', [], []), default: true } as TopologyNode),
    severity: 'error',
    nodeIds: ['acl-c', 'acl-b', 'vpc-main'],
    path: 'nodes[19].default',
    fix: { field: 'default', value: false },
    message: /has two default network ACLs, "acl-b" and "acl-c"/,
    nearMiss: add({ ...returning('acl-b', [], []), default: true } as TopologyNode, returning('acl-c', [], [])),
    nearMissName: 'a default ACL and a custom one',
  },
  {
    code: 'nacl-return-missing',
    name: 'requests in on 443 with no outbound rule for the replies',
    trigger: add(acl('acl-a', ['private-a'], [allow(100, 'tcp', '443', '10.0.0.0/24')], [allow(100, 'tcp', '1024-65535', '10.1.0.0/16')])),
    severity: 'warning',
    nodeIds: ['acl-a'],
    path: 'nodes[17].inbound[0]',
    message: /rule 100 \(allow tcp 443 from 10\.0\.0\.0\/24\) lets requests in, but no outbound rule allows the replies \(tcp ports 32768-60999 to 10\.0\.0\.0\/24\)/,
    nearMiss: add(acl('acl-a', ['private-a'], [allow(100, 'tcp', '443', '10.0.0.0/24'), allow(200, 'tcp', '1024-65535', '0.0.0.0/0')], [allow(100, 'tcp', '443', '0.0.0.0/0'), allow(200, 'tcp', '1024-65535', '10.0.0.0/24')])),
    nearMissName: 'the same ACL with ephemeral rules both ways',
  },
  {
    code: 'nacl-return-missing',
    name: 'requests out whose replies a lower-numbered deny refuses',
    trigger: add(acl('acl-a', ['private-a'], [{ ...allow(50, 'tcp', '40000-40010', '0.0.0.0/0'), action: 'deny' }, allow(100, 'tcp', '1024-65535', '0.0.0.0/0')], [allow(100, 'tcp', '5432', '10.1.0.0/24')])),
    severity: 'warning',
    nodeIds: ['acl-a'],
    path: 'nodes[17].outbound[0]',
    message: /lets requests out, but inbound rule 50 \(deny tcp 40000-40010 from 0\.0\.0\.0\/0\) denies the replies/,
    nearMiss: add(acl('acl-a', ['private-a'], [allow(50, 'tcp', '1024-65535', '0.0.0.0/0'), { ...allow(100, 'tcp', '40000-40010', '0.0.0.0/0'), action: 'deny' }], [allow(100, 'tcp', '5432', '10.1.0.0/24')])),
    nearMissName: 'the same deny numbered after the allow (first match wins)',
  },
];
