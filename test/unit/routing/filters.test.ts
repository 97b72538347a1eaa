import { describe, expect, it } from 'vitest';
import { parseIp } from '../../../core/cidr/address.js';
import type { NaclRule, SgInboundRule, SgOutboundRule } from '../../../core/model/index.js';
import {
  compileAclRules,
  compileSgRule,
  evaluateNetworkAcl,
  evaluateSecurityGroups,
  formatPorts,
  rulePortsProblem,
  safeParsePorts,
  subtractPorts,
  type CompiledSgRule,
  type Packet,
} from '../../../core/routing/filters/index.js';

describe('ports', () => {
  it.each([
    ['443', { from: 443, to: 443 }],
    ['0', { from: 0, to: 0 }],
    ['1024-65535', { from: 1024, to: 65535 }],
    ['0-65535', { from: 0, to: 65535 }],
    ['80-80', { from: 80, to: 80 }],
  ])('%s parses', (text, range) => {
    expect(safeParsePorts(text)).toEqual({ ok: true, range });
    expect(formatPorts(range)).toBe(text === '80-80' ? '80' : text);
  });

  it.each([
    ['', /not a port/],
    [' 443', /not a port/],
    ['0443', /no spaces or leading zeros/],
    ['+443', /not a port/],
    ['1-2-3', /not a port/],
    ['65536', /out of range/],
    ['100000', /not a port/],
    ['2000-1000', /runs backwards.*"1000-2000"/],
    ['80,443', /not a port/],
    ['*', /not a port/],
  ])('%j is refused', (text, problem) => {
    const result = safeParsePorts(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });

  it.each([
    ['tcp', undefined, /tcp rules need "ports"/],
    ['udp', undefined, /udp rules need "ports"/],
    ['all', '80', /refused for protocol "all"/],
    ['icmp', '8', /refused for icmp/],
    ['tcp', '80', undefined],
    ['all', undefined, undefined],
    ['icmp', undefined, undefined],
  ] as const)('protocol %s with ports %j', (protocol, ports, problem) => {
    const found = rulePortsProblem(protocol, ports);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it('subtracts decided ports from what is left', () => {
    expect(subtractPorts([{ from: 1024, to: 65535 }], { from: 32768, to: 60999 })).toEqual([
      { from: 1024, to: 32767 },
      { from: 61000, to: 65535 },
    ]);
    expect(subtractPorts([{ from: 10, to: 20 }], { from: 0, to: 100 })).toEqual([]);
  });
});

const ip = parseIp;
const tcp = (port: number | [number, number], source = '10.0.1.10', destination = '10.0.2.10'): Packet => ({
  protocol: 'tcp',
  source: ip(source),
  destination: ip(destination),
  ports: typeof port === 'number' ? { from: port, to: port } : { from: port[0], to: port[1] },
});
const acl = (...rules: [number, 'allow' | 'deny', NaclRule['protocol'], string | undefined, string][]) =>
  compileAclRules(
    'acl',
    'inbound',
    rules.map(([rule, action, protocol, ports, cidr]) => ({ rule, action, protocol, ...(ports ? { ports } : {}), cidr })),
  );

describe('network ACL evaluation: lowest number first, first match wins, no match denies', () => {
  it.each([
    { name: 'an allow matching port and source', rules: acl([100, 'allow', 'tcp', '80', '10.0.1.0/24']), packet: tcp(80), allowed: true, rule: 100 },
    { name: 'no rule matching: the final deny', rules: acl([100, 'allow', 'tcp', '443', '10.0.1.0/24']), packet: tcp(80), allowed: false, rule: null },
    {
      name: 'a lower-numbered allow before a deny (written after it)',
      rules: acl([200, 'deny', 'all', undefined, '0.0.0.0/0'], [100, 'allow', 'tcp', '80', '10.0.1.0/24']),
      packet: tcp(80),
      allowed: true,
      rule: 100,
    },
    {
      name: 'a lower-numbered deny before an allow',
      rules: acl([100, 'deny', 'tcp', '80', '10.0.1.10/32'], [200, 'allow', 'all', undefined, '0.0.0.0/0']),
      packet: tcp(80),
      allowed: false,
      rule: 100,
    },
    { name: 'a deny for another source does not match', rules: acl([100, 'deny', 'tcp', '80', '10.0.9.0/24'], [200, 'allow', 'tcp', '80', '0.0.0.0/0']), packet: tcp(80), allowed: true, rule: 200 },
    { name: 'a udp rule does not match tcp', rules: acl([100, 'allow', 'udp', '80', '0.0.0.0/0']), packet: tcp(80), allowed: false, rule: null },
    { name: 'an IPv6 block does not match an IPv4 source', rules: acl([100, 'allow', 'all', undefined, '::/0']), packet: tcp(80), allowed: false, rule: null },
    { name: 'icmp under an "all" rule', rules: acl([100, 'allow', 'all', undefined, '10.0.0.0/16']), packet: { ...tcp(0), protocol: 'icmp', ports: undefined } as Packet, allowed: true, rule: 100 },
    {
      name: 'a range passes only when every port does: 1024-65535 covers the Linux range',
      rules: acl([100, 'allow', 'tcp', '1024-65535', '0.0.0.0/0']),
      packet: tcp([32768, 60999]),
      allowed: true,
      rule: 100,
    },
    {
      name: 'a range is refused when one rule allows only part of it',
      rules: acl([100, 'allow', 'tcp', '32768-60999', '0.0.0.0/0']),
      packet: tcp([1024, 65535]),
      allowed: false,
      rule: null,
    },
    {
      name: 'a range is refused by a deny inside it, even with an allow for the rest after it',
      rules: acl([100, 'deny', 'tcp', '40000', '0.0.0.0/0'], [200, 'allow', 'tcp', '0-65535', '0.0.0.0/0']),
      packet: tcp([32768, 60999]),
      allowed: false,
      rule: 100,
    },
    {
      name: 'a range two allows cover together',
      rules: acl([100, 'allow', 'tcp', '1024-40000', '0.0.0.0/0'], [110, 'allow', 'tcp', '40001-65535', '0.0.0.0/0']),
      packet: tcp([32768, 60999]),
      allowed: true,
      rule: 100,
    },
  ])('$name', ({ rules, packet, allowed, rule }) => {
    const verdict = evaluateNetworkAcl(rules, 'inbound', packet);
    expect(verdict.allowed).toBe(allowed);
    if (verdict.allowed) expect(verdict.matched[0]?.number).toBe(rule);
    else expect(verdict.rule?.number ?? null).toBe(rule);
  });

  it('an unknown source (an internet client without an address) matches only /0 rules', () => {
    const rules = acl([100, 'allow', 'tcp', '80', '203.0.113.0/24'], [200, 'allow', 'tcp', '80', '0.0.0.0/0']);
    const verdict = evaluateNetworkAcl(rules, 'inbound', { ...tcp(80), source: undefined });
    expect(verdict).toMatchObject({ allowed: true, matched: [{ number: 200 }] });
  });

  it('names the ports a partial denial refused', () => {
    const verdict = evaluateNetworkAcl(acl([100, 'allow', 'tcp', '1024-40000', '0.0.0.0/0']), 'inbound', tcp([32768, 60999]));
    expect(verdict).toMatchObject({ allowed: false, rule: null, denied: [{ from: 40001, to: 60999 }] });
  });
});

describe('security group evaluation: allow rules only, every group together', () => {
  const member = new Set(['10.0.1.10']);
  const membership = (privatePath = true) => ({ isMember: (groupId: string, address: { value: bigint }) => groupId === 'sg-lb' && member.has(formatV4(address.value)), privatePath });
  const compile = (groupId: string, direction: 'inbound' | 'outbound', rules: (SgInboundRule | SgOutboundRule)[], refused?: string): CompiledSgRule[] =>
    rules.flatMap((rule, i) => compileSgRule(groupId, direction, i, rule, () => refused) ?? []);

  it('allows by a CIDR rule and names it', () => {
    const rules = compile('sg-web', 'inbound', [{ protocol: 'tcp', ports: '443', source: '0.0.0.0/0' }, { protocol: 'tcp', ports: '80', source: '10.0.0.0/16' }]);
    expect(evaluateSecurityGroups(rules, 'inbound', tcp(80), membership())).toMatchObject({ allowed: true, matched: [{ groupId: 'sg-web', index: 1 }] });
  });

  it('allows by a group reference only for members, at private addresses', () => {
    const rules = compile('sg-web', 'inbound', [{ protocol: 'tcp', ports: '8080', source: 'sg-lb' }]);
    expect(evaluateSecurityGroups(rules, 'inbound', tcp(8080), membership()).allowed).toBe(true);
    expect(evaluateSecurityGroups(rules, 'inbound', tcp(8080, '10.0.1.11'), membership()).allowed).toBe(false);
    const publicPath = evaluateSecurityGroups(rules, 'inbound', tcp(8080), membership(false));
    expect(publicPath).toMatchObject({ allowed: false, nearMisses: [{ why: expect.stringMatching(/private addresses only/) }] });
  });

  it('a refused reference (another region) matches nothing, and says so', () => {
    const rules = compile('sg-web', 'inbound', [{ protocol: 'tcp', ports: '8080', source: 'sg-lb' }], 'AWS refuses group references across regions');
    expect(evaluateSecurityGroups(rules, 'inbound', tcp(8080), membership())).toMatchObject({ allowed: false, nearMisses: [{ why: 'AWS refuses group references across regions' }] });
  });

  it('a group with no rule in a direction allows nothing that way', () => {
    expect(evaluateSecurityGroups([], 'outbound', tcp(443), membership())).toMatchObject({ allowed: false });
  });

  it('takes the union of the rules of every group of the node', () => {
    const rules = [...compile('sg-a', 'outbound', [{ protocol: 'tcp', ports: '1-1000', destination: '0.0.0.0/0' }]), ...compile('sg-b', 'outbound', [{ protocol: 'tcp', ports: '1001-65535', destination: '0.0.0.0/0' }])];
    expect(evaluateSecurityGroups(rules, 'outbound', tcp([0, 65535]), membership())).toMatchObject({ allowed: false, uncovered: [{ from: 0, to: 0 }] });
    expect(evaluateSecurityGroups(rules, 'outbound', tcp([1, 65535]), membership())).toMatchObject({ allowed: true, matched: [{ groupId: 'sg-a' }, { groupId: 'sg-b' }] });
  });

  it('skips invalid rules: they allow nothing', () => {
    expect(compileSgRule('sg', 'inbound', 0, { protocol: 'tcp', source: '0.0.0.0/0' }, () => undefined)).toBeUndefined();
    expect(compileSgRule('sg', 'inbound', 0, { protocol: 'tcp', ports: '80', source: '10.0.0.5/24' }, () => undefined)).toBeUndefined();
  });
});

function formatV4(value: bigint): string {
  const n = Number(value);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
