import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyTopology, parseTopology, type NaclRule, type SgInboundRule, type Topology, type TopologyNode } from '../../../core/model/index.js';
import { groupDropTarget } from '../../../renderer/canvas/group-drop.js';
import { toFlowNodes } from '../../../renderer/canvas/flow.js';
import { ActionRefused } from '../../../renderer/actions/errors.js';
import { addNode } from '../../../renderer/actions/place.js';
import { associateAclSubnet, effectiveGroups, joinSecurityGroup, leaveSecurityGroup, setFilterRules } from '../../../renderer/actions/security-groups.js';
import { aclRuleHints, nextRuleNumber, sgRuleHints } from '../../../renderer/lib/filter-hints.js';

const example = (): Topology => parseTopology(readFileSync(new URL('../../../examples/three-tier-filtered.topolab.json', import.meta.url), 'utf8'));
const node = (doc: Topology, id: string): Record<string, unknown> => doc.nodes.find((n) => n.id === id) as unknown as Record<string, unknown>;
const rule = (n: number, action: 'allow' | 'deny', protocol: NaclRule['protocol'], ports: string | undefined, cidr: string): NaclRule => ({ rule: n, action, protocol, ...(ports ? { ports } : {}), cidr });

describe('network ACL rule hints', () => {
  it.each([
    { name: 'a number used twice', rules: [rule(100, 'allow', 'tcp', '80', '0.0.0.0/0'), rule(100, 'deny', 'tcp', '22', '0.0.0.0/0')], at: 1, hint: /rule number 100 is used twice/ },
    { name: 'a rule a lower-numbered one shadows', rules: [rule(200, 'allow', 'tcp', '80', '10.0.1.0/24'), rule(100, 'deny', 'all', undefined, '10.0.0.0/16')], at: 0, hint: /never matches: rule 100 \(deny\) decides all of its traffic first/ },
    { name: 'an overlap with the other action', rules: [rule(100, 'deny', 'tcp', '1-1000', '10.0.0.0/16'), rule(110, 'allow', 'tcp', '80-8080', '10.0.1.0/24')], at: 1, hint: /overlaps rule 100 \(deny\): where both match, rule 100 decides/ },
  ])('$name', ({ rules, at, hint }) => {
    expect(aclRuleHints(rules).get(at)?.join(' ')).toMatch(hint);
  });

  it.each([
    { name: 'a higher deny behind a narrower allow', rules: [rule(100, 'allow', 'tcp', '80', '10.0.1.0/24'), rule(200, 'deny', 'tcp', '80', '10.0.2.0/24')] },
    { name: 'the same action overlapping', rules: [rule(100, 'allow', 'tcp', '1-1000', '0.0.0.0/0'), rule(110, 'allow', 'tcp', '500-2000', '0.0.0.0/0')] },
    { name: 'other protocols', rules: [rule(100, 'deny', 'udp', '53', '0.0.0.0/0'), rule(110, 'allow', 'tcp', '53', '0.0.0.0/0')] },
    { name: 'IPv4 and IPv6', rules: [rule(100, 'deny', 'all', undefined, '::/0'), rule(110, 'allow', 'all', undefined, '0.0.0.0/0')] },
  ])('no hint for $name', ({ rules }) => {
    expect([...aclRuleHints(rules).values()].flat()).toEqual([]);
  });

  it('numbers a new rule 100 above the highest, within 32766', () => {
    expect(nextRuleNumber([])).toBe(100);
    expect(nextRuleNumber([rule(120, 'allow', 'all', undefined, '0.0.0.0/0')])).toBe(200);
    expect(nextRuleNumber([rule(32766, 'allow', 'all', undefined, '0.0.0.0/0')])).toBe(32766);
  });
});

describe('security group rule hints', () => {
  it('points out a rule another one already covers, and the second of two identical rules', () => {
    const rules: SgInboundRule[] = [
      { protocol: 'all', source: '10.0.0.0/16' },
      { protocol: 'tcp', ports: '443', source: '10.0.1.0/24' },
      { protocol: 'tcp', ports: '80', source: 'sg-lb' },
      { protocol: 'tcp', ports: '80', source: 'sg-lb' },
      { protocol: 'tcp', ports: '80', source: 'sg-other' },
    ];
    const hints = sgRuleHints(rules);
    expect(hints.get(1)?.[0]).toMatch(/already allowed by rule 1/);
    expect(hints.get(3)?.[0]).toMatch(/already allowed by rule 3/);
    expect(hints.has(0)).toBe(false);
    expect(hints.has(2)).toBe(false);
    expect(hints.has(4)).toBe(false);
  });
});

describe('security group membership actions', () => {
  it('joins a group, keeping the default group a node used implicitly, and leaves back to it', () => {
    let doc = example();
    expect(effectiveGroups(doc, 'ops')).toEqual({ ids: ['sg-default'], implicit: true });
    doc = joinSecurityGroup(doc, { nodeId: 'ops', groupId: 'sg-app' });
    expect(node(doc, 'ops')['securityGroups']).toEqual(['sg-default', 'sg-app']);
    doc = leaveSecurityGroup(doc, { nodeId: 'ops', groupId: 'sg-app' });
    doc = leaveSecurityGroup(doc, { nodeId: 'ops', groupId: 'sg-default' });
    expect(node(doc, 'ops')['securityGroups']).toBeUndefined();
    expect(effectiveGroups(doc, 'ops')).toEqual({ ids: ['sg-default'], implicit: true });
  });

  it.each([
    [{ nodeId: 'app-1', groupId: 'sg-app' }, /already in security group app/],
    [{ nodeId: 'nat', groupId: 'sg-app' }, /a NAT gateway has no security groups/i],
    [{ nodeId: 'app-1', groupId: 'acl-app' }, /"acl-app" is not a security group/],
    [{ nodeId: 'visitor', groupId: 'sg-app' }, /a node is only in groups of its own VPC/],
  ])('refuses %j', (input, reason) => {
    expect(() => joinSecurityGroup(example(), input)).toThrow(reason);
  });

  it('refuses a sixth group on AWS', () => {
    let doc = example();
    for (let i = 0; i < 4; i++) doc = { ...doc, nodes: [...doc.nodes, { id: `sg-x${i}`, kind: 'security-group', parent: 'app-vpc', inbound: [], outbound: [] } as TopologyNode] };
    for (let i = 0; i < 4; i++) doc = joinSecurityGroup(doc, { nodeId: 'app-1', groupId: `sg-x${i}` });
    doc = { ...doc, nodes: [...doc.nodes, { id: 'sg-six', kind: 'security-group', parent: 'app-vpc', inbound: [], outbound: [] } as TopologyNode] };
    expect(() => joinSecurityGroup(doc, { nodeId: 'app-1', groupId: 'sg-six' })).toThrow(ActionRefused);
  });

  it('replaces a direction of rules, schema-checked', () => {
    const doc = setFilterRules(example(), { nodeId: 'acl-db', direction: 'inbound', rules: [rule(50, 'allow', 'tcp', '5432', '10.0.10.0/24')] });
    expect(node(doc, 'acl-db')['inbound']).toEqual([rule(50, 'allow', 'tcp', '5432', '10.0.10.0/24')]);
    expect(() => setFilterRules(example(), { nodeId: 'app-1', direction: 'inbound', rules: [] })).toThrow(/not a security group or network ACL/);
    expect(() => setFilterRules(example(), { nodeId: 'acl-db', direction: 'inbound', rules: [{ ...rule(1, 'allow', 'all', undefined, '0.0.0.0/0'), action: 'permit' } as unknown as NaclRule] })).toThrow(ActionRefused);
  });

  it('associates a subnet with an ACL, moving it out of the ACL that listed it, as AWS replaces an association', () => {
    const doc = associateAclSubnet(example(), { aclId: 'acl-db', subnetId: 'app-b' });
    expect(node(doc, 'acl-db')['subnets']).toEqual(['db-a', 'app-b']);
    expect(node(doc, 'acl-app')['subnets']).toEqual(['app-a']);
    expect(() => associateAclSubnet(example(), { aclId: 'acl-db', subnetId: 'db-a' })).toThrow(/already associated/);
    expect(() => associateAclSubnet(example(), { aclId: 'acl-db', subnetId: 'sg-app' })).toThrow(/not a subnet/);
  });

  it('a group dropped from the palette into a VPC starts with allow-all outbound, as AWS creates one', () => {
    let doc = addNode(emptyTopology(), { kind: 'vpc', position: { x: 0, y: 0 } });
    doc = addNode(doc, { kind: 'security-group', position: { x: 40, y: 40 } });
    expect(doc.nodes.at(-1)).toMatchObject({ kind: 'security-group', parent: 'vpc-1', inbound: [], outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] });
  });
});

describe('the canvas', () => {
  it('badges each filtered node with its groups, its VPC default marked, and nothing on other kinds', () => {
    const flow = toFlowNodes(example(), { badges: new Map(), selection: new Set(), highlight: null });
    const groups = (id: string) => flow.find((n) => n.id === id)?.data.groups;
    expect(groups('app-1')).toEqual(['app']);
    expect(groups('ops')).toEqual(['default (default)']);
    // An internet client has no VPC, so no group can filter it: no badge.
    expect(groups('visitor')).toBeUndefined();
    expect(groups('nat')).toBeUndefined();
    expect(groups('sg-app')).toBeUndefined();
  });

  it('says "no group" only in a VPC that has groups, and draws no badge in designs without any', () => {
    const noDefault = example();
    noDefault.nodes = noDefault.nodes.map((n) => (n.id === 'sg-default' ? { ...n, default: undefined } : n));
    const flow = toFlowNodes(noDefault, { badges: new Map(), selection: new Set(), highlight: null });
    expect(flow.find((n) => n.id === 'ops')?.data.groups).toEqual([]);
    const plain = parseTopology(readFileSync(new URL('../../../examples/two-tier-web.topolab.json', import.meta.url), 'utf8'));
    const plainFlow = toFlowNodes(plain, { badges: new Map(), selection: new Set(), highlight: null });
    expect(plainFlow.filter((n) => n.data.groups !== undefined).map((n) => n.id)).toEqual([]);
  });

  it('takes a node let go with the pointer on exactly one group chip as joining it', () => {
    const doc = example();
    // sg-db sits at (24, 112) in app-vpc at (280, 0): its chip spans x 304-480, y 112-168.
    expect(groupDropTarget(doc, ['ops'], { x: 390, y: 140 })).toBe('sg-db');
    expect(groupDropTarget(doc, ['ops'], { x: 390, y: 170 })).toBeUndefined();
    expect(groupDropTarget(doc, ['nat'], { x: 390, y: 140 })).toBeUndefined();
    expect(groupDropTarget(doc, ['ops', 'app-1'], { x: 390, y: 140 })).toBeUndefined();
  });

});
