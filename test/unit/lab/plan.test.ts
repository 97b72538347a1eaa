import { describe, expect, it } from 'vitest';
import { LabPlanError, planLab, planLabOrThrow } from '../../../core/runtime/lab/plan.js';
import type { Topology } from '../../../core/model/types.js';
import { labFixture } from './fixtures.js';

function withNodes(base: Topology, change: (t: Topology) => void): Topology {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}

describe('planLab', () => {
  it('runs one service per serving node, upstreams before the nodes that use them', () => {
    const plan = planLabOrThrow(labFixture('web-tier'));
    const order = plan.services.map((s) => s.nodeId);
    expect(order.indexOf('web1')).toBeLessThan(order.indexOf('lb'));
    expect(order.indexOf('web2')).toBeLessThan(order.indexOf('lb'));
    expect(order.indexOf('lb')).toBeLessThan(order.indexOf('cache'));
    expect(new Set(order)).toEqual(new Set(['web1', 'web2', 'web3', 'lb', 'lb-hash', 'gw', 'cache']));
    const roles = Object.fromEntries(plan.services.map((s) => [s.nodeId, s.role]));
    expect(roles).toMatchObject({ web1: 'backend', lb: 'l7-balancer', gw: 'reverse-proxy', cache: 'cache' });
  });

  it('keeps designed addresses and takes the kind default port when none is pinned', () => {
    const plan = planLabOrThrow(labFixture('web-tier'));
    const byId = new Map(plan.services.map((s) => [s.nodeId, s]));
    expect(byId.get('web1')?.address).toEqual({ ip: '10.0.2.10', port: 8080 });
    expect(byId.get('lb')?.address).toEqual({ ip: '10.0.1.10', port: 80 });
  });

  it('merges reverse-proxy rule upstreams with its edge targets, which catch what no rule matches', () => {
    const gw = planLabOrThrow(labFixture('web-tier')).services.find((s) => s.nodeId === 'gw');
    expect(gw?.upstreams).toEqual(['web2', 'web1']);
    // The edge targets follow the rules as the default pool.
    expect(gw?.rules).toEqual([{ pathPrefix: '/api', upstreams: ['web1'] }, { upstreams: ['web2'] }]);
  });

  it('publishes what a client can reach by the design\'s routing: an inside client reaches the whole VPC', () => {
    const topology = withNodes(labFixture('web-tier'), (t) => t.nodes.push({ kind: 'client', id: 'admin', parent: 'private' }));
    expect(planLabOrThrow(topology).published.sort()).toEqual(['cache', 'gw', 'lb', 'lb-hash', 'web1', 'web2', 'web3']);
  });

  it('publishes internet-facing nodes in public subnets even without a drawn client', () => {
    const topology = withNodes(labFixture('web-tier'), (t) => {
      t.nodes = t.nodes.filter((n) => n.kind !== 'client');
      t.edges = t.edges.filter((e) => e.from !== 'user');
    });
    expect(planLabOrThrow(topology).published.sort()).toEqual(['lb', 'lb-hash']);
  });

  it('publishes the internet-facing nodes an internet client reaches, nothing internal', () => {
    const plan = planLabOrThrow(labFixture('web-tier'));
    expect(plan.published.sort()).toEqual(['lb', 'lb-hash']);
    expect(plan.clients).toEqual([{ nodeId: 'user', targets: ['lb'] }]);
  });

  it('maps layer 4 balancers and user commands to their services', () => {
    const topology = withNodes(labFixture('web-tier'), (t) => {
      for (const node of t.nodes) {
        if (node.kind === 'load-balancer' && node.id === 'lb') node.layer = 4;
        if (node.kind === 'server' && node.id === 'web3') node.command = 'node app.js';
      }
    });
    const roles = Object.fromEntries(planLabOrThrow(topology).services.map((s) => [s.nodeId, s.role]));
    expect(roles['lb']).toBe('l4-balancer');
    expect(roles['web3']).toBe('command');
  });

  it('plans an auto-scaling group with desired within bounds and addresses spread over its subnets', () => {
    const plan = planLabOrThrow(labFixture('asg'));
    expect(plan.services.map((s) => s.nodeId)).toEqual(['lb']);
    const [group] = plan.groups;
    expect(group).toMatchObject({ nodeId: 'asg', min: 1, max: 3, desired: 1, template: { latency: 40 } });
    expect(group?.targetTracking).toEqual({ metric: 'in-flight', target: 2, cooldownSeconds: 0 });
    // AWS keeps the first four addresses of each subnet; instances alternate between subnets.
    expect(group?.instanceAddresses).toEqual([
      { ip: '10.1.10.4', port: 8080 },
      { ip: '10.1.11.4', port: 8080 },
      { ip: '10.1.10.5', port: 8080 },
    ]);
  });

  it('refuses a design with error diagnostics, quoting them', () => {
    const result = planLab(labFixture('web-tier'), [
      { code: 'subnet-overlap', severity: 'error', message: 'subnets a and b overlap', nodeIds: ['public', 'private'] },
      { code: 'lb-no-targets', severity: 'warning', message: 'only a warning', nodeIds: ['lb'] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([{ code: 'subnet-overlap', message: 'subnets a and b overlap', nodeIds: ['public', 'private'] }]);
  });

  it('names an edge to a node that serves nothing', () => {
    const topology = withNodes(labFixture('web-tier'), (t) => t.edges.push({ id: 'bad', from: 'lb', to: 'public' }));
    const result = planLab(topology);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.code).toBe('lab-upstream-invalid');
    expect(result.problems[0]?.message).toContain('edge "bad"');
    expect(result.problems[0]?.nodeIds).toEqual(['lb', 'public']);
  });

  it('refuses a proxy rule header that cannot be sent, at start, also without validation (never a 500 per request)', () => {
    const topology = withNodes(labFixture('web-tier'), (t) => {
      const gw = t.nodes.find((n) => n.id === 'gw');
      if (gw?.kind !== 'reverse-proxy') throw new Error('fixture: gw is a reverse proxy');
      gw.rules = [{ pathPrefix: '/api', upstreams: ['web1'], requestHeaders: { 'X-Bad\nName': 'v', 'X-Ok': 'a\r\nb' } }];
    });
    const result = planLab(topology);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problems = result.problems.filter((p) => p.code === 'header-invalid');
    expect(problems.map((p) => p.nodeIds)).toEqual([['gw'], ['gw']]);
    expect(problems[0]?.message).toMatch(/rule 1 sets request header "X-Bad\\nName", which cannot be sent: the name is not an HTTP token/);
    expect(problems[1]?.message).toMatch(/request header "X-Ok", which cannot be sent: the value holds a character/);
    expect(() => planLabOrThrow(topology)).toThrow(LabPlanError);
  });

  it('names a forwarding loop', () => {
    const topology = withNodes(labFixture('web-tier'), (t) => t.edges.push({ id: 'loop', from: 'lb', to: 'cache' }));
    const result = planLab(topology);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code)).toContain('lab-upstream-cycle');
    expect(result.problems.find((p) => p.code === 'lab-upstream-cycle')?.message).toMatch(/lb -> cache -> lb|cache -> lb -> cache/);
  });

  it('refuses a serving node without an address and a cache without origin', () => {
    const topology = withNodes(labFixture('web-tier'), (t) => {
      t.nodes.push({ kind: 'server', id: 'floating' });
      t.edges = t.edges.filter((e) => e.from !== 'cache');
    });
    const result = planLab(topology);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.code).sort()).toEqual(['lab-cache-no-origin', 'lab-no-address']);
    expect(() => planLabOrThrow(topology)).toThrow(LabPlanError);
    expect(() => planLabOrThrow(topology)).toThrow(/floating/);
  });

  it("plans a server's calls from its edges, with each edge's port and protocol, and a group's from its own and its template server's edges", () => {
    const plan = planLabOrThrow(labFixture('tiers'));
    const byId = new Map(plan.services.map((s) => [s.nodeId, s]));
    expect(byId.get('web1')?.backend?.calls).toEqual([
      { edgeId: 'web1-api', to: 'api', port: 9000, protocol: 'http' },
      { edgeId: 'web1-db', to: 'db', port: 5432, protocol: 'tcp' },
    ]);
    expect(byId.get('reporter')?.backend).toMatchObject({ callOrder: 'sequential', callTimeoutMs: 2000 });
    // Calls are not upstreams: a call cycle (ping <-> pong) is no forwarding loop, the lab answers it 508.
    expect(byId.get('ping')?.upstreams).toEqual([]);
    expect(plan.groups[0]?.template.calls).toEqual([{ edgeId: 'workers-db', to: 'db', port: 5432, protocol: 'tcp' }]);
    const templated = withNodes(labFixture('tiers'), (t) => {
      t.nodes.push({ kind: 'server', id: 'worker-template', parent: 'workers', callTimeoutMs: 750 });
      t.nodes = t.nodes.map((n) => (n.id === 'workers' ? { ...n, template: undefined } : n));
      t.edges.push({ id: 'template-api', from: 'worker-template', to: 'api' });
    });
    expect(planLabOrThrow(templated).groups[0]?.template).toMatchObject({
      callTimeoutMs: 750,
      calls: [
        { edgeId: 'workers-db', to: 'db', port: 5432, protocol: 'tcp' },
        { edgeId: 'template-api', to: 'api', port: 9000, protocol: 'http' },
      ],
    });
  });

  it('names a call to a server that only describes a group, and runs a design whose only errors are blocked connections', () => {
    const topology = withNodes(labFixture('tiers'), (t) => {
      t.nodes.push({ kind: 'server', id: 'worker-template', parent: 'workers' });
      t.edges.push({ id: 'to-template', from: 'api', to: 'worker-template' });
    });
    const result = planLab(topology);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([expect.objectContaining({ code: 'lab-upstream-invalid', nodeIds: ['api', 'worker-template'] })]);
    const blocked = planLab(labFixture('tiers'), [{ code: 'connection-blocked', severity: 'error', message: 'blocked', nodeIds: ['db', 'web1'] }]);
    expect(blocked.ok).toBe(true);
  });

  it('refuses an empty design', () => {
    const result = planLab({ schema: 'topolab/1', name: 'x', provider: 'aws', nodes: [], edges: [], layout: {} });
    expect(result).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'lab-empty' })] });
  });
});
