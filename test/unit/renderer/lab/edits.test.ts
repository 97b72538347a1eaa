import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology, type Topology, type TopologyNode } from '../../../../core/model/index.js';
import { classifyEdit, latencyValue } from '../../../../renderer/lab/edits.js';

const doc = parseTopology(readFileSync(new URL('../../../../examples/nginx-two-backends.topolab.json', import.meta.url), 'utf8'));
const patch = (d: Topology, id: string, change: Record<string, unknown>): Topology => ({ ...d, nodes: d.nodes.map((n) => (n.id === id ? ({ ...n, ...change } as TopologyNode) : n)) });

describe('edits while the lab runs', () => {
  it.each([
    ['adding a node', { ...doc, nodes: [...doc.nodes, { id: 'extra', kind: 'server', parent: 'backend' } as TopologyNode] }, /add extra/],
    ['deleting a node', { ...doc, nodes: doc.nodes.filter((n) => n.id !== 'backend-2') }, /delete backend-2/],
    ['connecting', { ...doc, edges: [...doc.edges, { id: 'x', from: 'browser', to: 'backend-1' }] }, /connect or disconnect/],
    ['moving into another container', patch(doc, 'backend-1', { parent: 'public' }), /move backend-1 into another container/],
    ['re-addressing', patch(doc, 'backend-1', { port: 9090 }), /change port of backend-1/],
  ])('refuses %s', (_what, next, reason) => {
    expect(classifyEdit(doc, next).refused).toMatch(reason);
  });

  it('applies server latency and error rate live, as faults', () => {
    const next = patch(patch(doc, 'backend-1', { latencyMs: { distribution: 'normal', ms: 120, spreadMs: 10 } }), 'backend-2', { errorRate: 0.25 });
    expect(classifyEdit(doc, next)).toEqual({
      live: [
        { nodeId: 'backend-1', action: 'latency', value: 120 },
        { nodeId: 'backend-2', action: 'error-rate', value: 0.25 },
      ],
      configure: [],
      deferred: [],
    });
    expect(classifyEdit(next, doc).live).toEqual([
      { nodeId: 'backend-1', action: 'latency', value: 0 },
      { nodeId: 'backend-2', action: 'error-rate', value: 0 },
    ]);
  });

  it('reconfigures weights, health checks and algorithms live', () => {
    const check = { type: 'http' as const, path: '/health', intervalMs: 500 };
    const next = patch(patch(doc, 'nginx', { algorithm: 'least-connections', healthCheck: check, name: 'edge' }), 'backend-1', { weight: 3 });
    expect(classifyEdit(doc, next)).toEqual({
      live: [],
      configure: [
        { nodeId: 'nginx', algorithm: 'least-connections' },
        { nodeId: 'nginx', healthCheck: check },
        { nodeId: 'backend-1', weight: 3 },
      ],
      deferred: [],
    });
    const unset = patch(patch(doc, 'nginx', { healthCheck: undefined }), 'backend-1', { weight: undefined });
    expect(classifyEdit(next, unset).configure).toEqual(expect.arrayContaining([{ nodeId: 'nginx', healthCheck: null }, { nodeId: 'backend-1', weight: 1 }]));
  });

  it('applies filter edits live: rules, default flags, ACL subnets, a node\'s groups', () => {
    const filtered = parseTopology(readFileSync(new URL('../../../fixtures/lab/filtered.topolab.json', import.meta.url), 'utf8'));
    const rule = { protocol: 'tcp' as const, ports: '8080', source: 'sg-lb' };
    const aclRule = { rule: 100, action: 'allow' as const, protocol: 'all' as const, cidr: '0.0.0.0/0' };
    let next = patch(filtered, 'sg-closed', { inbound: [rule], default: true, name: 'closed' });
    next = patch(next, 'acl-iso', { subnets: [], outbound: [aclRule] });
    next = patch(patch(next, 'web1', { securityGroups: ['sg-web', 'sg-closed'] }), 'web2', { securityGroups: undefined });
    expect(classifyEdit(filtered, next)).toEqual({
      live: [],
      configure: [
        { nodeId: 'sg-closed', inbound: [rule] },
        { nodeId: 'sg-closed', default: true },
        { nodeId: 'acl-iso', subnets: [] },
        { nodeId: 'acl-iso', outbound: [aclRule] },
        { nodeId: 'web1', securityGroups: ['sg-web', 'sg-closed'] },
        { nodeId: 'web2', securityGroups: null },
      ],
      deferred: [],
    });
    // A route table's subnets still need a restart.
    expect(classifyEdit(filtered, patch(filtered, 'rt-public', { subnets: [] })).refused).toMatch(/change subnets of rt-public/);
  });

  it('keeps what the runtime cannot change live for the next launch; renames and moves are free', () => {
    const next = patch(patch(doc, 'nginx', { sticky: { cookie: 'lb' }, name: 'edge' }), 'backend-1', { description: 'x' });
    expect(classifyEdit(doc, next)).toEqual({ live: [], configure: [], deferred: ['sticky of nginx'] });
    const moved = { ...doc, layout: { ...doc.layout, nginx: { x: 1, y: 2 } } };
    expect(classifyEdit(doc, moved)).toEqual({ live: [], configure: [], deferred: [] });
  });

  it('reads the milliseconds of a designed latency', () => {
    expect(latencyValue(40)).toBe(40);
    expect(latencyValue({ distribution: 'uniform', ms: 5, spreadMs: 9 })).toBe(5);
    expect(latencyValue(undefined)).toBe(0);
  });
});
