import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TopologyNode } from '../../../core/model/index.js';
import { ROUTING_BLOCK_CODES, trace } from '../../../core/routing/index.js';
import { validateTopology } from '../../../core/validate/index.js';
import { base, CASES, openPublic, set, variant } from './trace-filter-cases.js';

describe('trace with security groups and network ACLs', () => {
  it('starts from a clean fixture', () => {
    // Its balancer sits in one zone (alb-single-zone, a Terraform concern); traces do not depend on zones.
    expect(validateTopology(base).filter((d) => d.severity !== 'info' && d.code !== 'alb-single-zone')).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = trace(c.mutate ? variant(c.mutate) : base, c.request);
    if (c.expect === 'reachable') {
      expect(result.blockedBy).toBeUndefined();
      expect(result.verdict).toBe('reachable');
    } else {
      const { reason, ...fields } = c.expect;
      expect(result.verdict).toBe('blocked');
      expect(result.blockedBy).toMatchObject(fields);
      if (reason) expect(result.blockedBy?.reason).toMatch(reason);
    }
    if (c.filters) {
      const filters = result.hops.filter((h) => h.kind === 'security-group' || h.kind === 'network-acl');
      expect(filters.map((h) => `${h.kind} ${h.nodeId} ${h.filter?.rule}`)).toEqual(c.filters);
    }
  });

  it('orders the hops as AWS evaluates them: groups out, ACL out, routing, ACL in, groups in, the reply', () => {
    const result = trace(variant(openPublic), { from: 'lb', to: 'web-1' });
    expect(result.hops.map((h) => (h.filter ? `${h.kind} ${h.filter.direction} ${h.filter.leg}` : h.kind))).toEqual([
      'node',
      'security-group outbound request',
      'subnet',
      'network-acl outbound request',
      'route-table',
      'route',
      'local',
      'subnet',
      'network-acl inbound request',
      'security-group inbound request',
      'node',
      'network-acl outbound response',
      'network-acl inbound response',
    ]);
    expect(result.hops[1]).toMatchObject({ nodeId: 'sg-lb', filter: { guards: 'lb', rule: 0 } });
    expect(result.hops[12]).toMatchObject({ nodeId: 'acl-public', filter: { guards: 'public-a', rule: 100 } });
  });

  it('without a port, judges the destination port the node listens on', () => {
    const blocked = trace(variant(set('web-1', { port: 9090 })), { from: 'lb', to: 'web-1' });
    expect(blocked.blockedBy).toMatchObject({ code: 'security-group', nodeId: 'lb', direction: 'outbound' });
    expect(blocked.blockedBy?.reason).toMatch(/tcp port 9090/);
  });

  it('a design without filters traces as before: no filter hop', () => {
    const plain = variant((t) => {
      t.nodes = t.nodes.filter((n) => n.kind !== 'security-group' && n.kind !== 'network-acl').map((n) => ({ ...n, securityGroups: undefined }) as TopologyNode);
    });
    const result = trace(plain, { from: 'db', to: 'web-1' });
    expect(result.verdict).toBe('reachable');
    expect(result.hops.some((h) => h.kind === 'security-group' || h.kind === 'network-acl')).toBe(false);
  });

  it('docs/cli.md lists every blockedBy code', () => {
    const page = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
    const listed = new Set([...page.matchAll(/^\s*\| `([a-z-]+)` \|/gm)].map((m) => m[1]));
    expect(ROUTING_BLOCK_CODES.filter((code) => !listed.has(code))).toEqual([]);
    expect(page).toContain('{"code": "security-group", "nodeId": <the node whose groups refuse>, "direction": "outbound"|"inbound", "reason": ...}');
    expect(page).toContain('{"code": "network-acl", "nodeId": <the ACL>, "direction": "outbound"|"inbound", "leg": "request"|"response", "rule":');
  });
});
