import { describe, expect, it } from 'vitest';
import { MAX_CACHED_FLOWS, RoutingGate } from '../../../core/runtime/lab/gate.js';
import { expectedStatusRange } from '../../../core/runtime/balancing/health.js';
import { balancerCheckAsProbed } from '../../../core/runtime/lab/readiness.js';
import { routesAfterRestore, routesToDrop, withoutRoutes } from '../../../core/runtime/lab/routes.js';
import { labFixture } from './fixtures.js';

const peered = labFixture('peered');
const tableRoutes = (topology: typeof peered, id: string) => {
  const node = topology.nodes.find((n) => n.id === id);
  return node?.kind === 'route-table' ? node.routes : undefined;
};

describe('route faults', () => {
  it('drops one route by destination, or every route of a table, without touching the design', () => {
    const one = routesToDrop(peered, 'rt-edge', '10.2.0.0/16', []);
    expect(one).toEqual([{ table: 'rt-edge', route: { destination: '10.2.0.0/16', target: 'pcx' } }]);
    expect(tableRoutes(withoutRoutes(peered, one), 'rt-edge')).toEqual([{ destination: '0.0.0.0/0', target: 'igw' }]);
    expect(tableRoutes(peered, 'rt-edge')).toHaveLength(2);
    const all = routesToDrop(peered, 'rt-edge', undefined, []);
    expect(tableRoutes(withoutRoutes(peered, all), 'rt-edge')).toEqual([]);
  });

  it('explains what cannot be dropped or restored', () => {
    expect(() => routesToDrop(peered, 'nope', undefined, [])).toThrow('no node "nope" in this design');
    expect(() => routesToDrop(peered, 'gw', undefined, [])).toThrow(/"gw" is a load-balancer, not a route table/);
    expect(() => routesToDrop(peered, 'rt-edge', '192.168.0.0/16', [])).toThrow('route table "rt-edge" has no route to 192.168.0.0/16 (routes: 0.0.0.0/0 -> igw, 10.2.0.0/16 -> pcx)');
    const dropped = routesToDrop(peered, 'rt-core', undefined, []);
    expect(() => routesToDrop(peered, 'rt-core', undefined, dropped)).toThrow('route table "rt-core" has no routes left to drop');
    expect(() => routesAfterRestore(dropped, 'rt-edge', undefined)).toThrow('route table "rt-edge" has no dropped route to restore');
  });

  it('restores one destination or the whole table', () => {
    const dropped = [...routesToDrop(peered, 'rt-edge', undefined, []), ...routesToDrop(peered, 'rt-core', undefined, [])];
    expect(routesAfterRestore(dropped, 'rt-edge', '0.0.0.0/0').map((d) => `${d.table} ${d.route.destination}`)).toEqual(['rt-edge 10.2.0.0/16', 'rt-core 10.0.0.0/16']);
    expect(routesAfterRestore(dropped, 'rt-edge', undefined).map((d) => d.table)).toEqual(['rt-core']);
  });
});

describe('RoutingGate', () => {
  it('answers from the design, caches, and forgets when the topology changes', () => {
    const gate = new RoutingGate(peered, (id) => ({ to: id }));
    expect(gate.gate('gw', 'api')).toEqual({ allowed: true });
    gate.setTopology(withoutRoutes(peered, routesToDrop(peered, 'rt-core', undefined, [])));
    expect(gate.gate('gw', 'api')).toMatchObject({ allowed: false, blockedBy: 'rt-core', reason: expect.stringContaining('no route back') });
    expect(gate.gate('gw', 'api')).toBe(gate.gate('gw', 'api'));
  });

  it('keeps at most MAX_CACHED_FLOWS verdicts, however many ports a client asks for, and still answers each', () => {
    const gate = new RoutingGate(peered, (id) => ({ to: id }));
    for (let port = 1; port <= MAX_CACHED_FLOWS + 500; port++) gate.gate('gw', 'api', { port });
    expect(gate.cachedFlows).toBe(MAX_CACHED_FLOWS);
    // The oldest went first: asking for it again traces it again, with the same answer.
    expect(gate.gate('gw', 'api', { port: 1 })).toMatchObject({ allowed: false, code: 'port-closed', reason: '"api" listens on port 8080, not 1' });
    expect(gate.gate('gw', 'api', { port: 8080 })).toEqual({ allowed: true });
    expect(gate.cachedFlows).toBe(MAX_CACHED_FLOWS);
  });

  it('refuses a flow the tracer cannot place, naming the source', () => {
    const gate = new RoutingGate(peered, (id) => ({ to: id }));
    expect(gate.gate('gw', 'ghost')).toMatchObject({ allowed: false, blockedBy: 'gw', reason: expect.stringContaining('ghost') });
  });
});

describe('expectedStatusRange', () => {
  it.each([
    [200, undefined, true],
    [399, undefined, true],
    [404, undefined, false],
    [404, '404', true],
    [503, '200-499', false],
  ])('%d with %s -> %s', (code, range, expected) => {
    const { low, high } = expectedStatusRange(range);
    expect(code >= low && code <= high).toBe(expected);
  });
});

describe('balancerCheckAsProbed', () => {
  it('probes behind an L4 balancer with TCP unless the check names a type', () => {
    expect(balancerCheckAsProbed('l4-balancer', { intervalMs: 100 })).toEqual({ intervalMs: 100, type: 'tcp' });
    expect(balancerCheckAsProbed('l4-balancer', { type: 'http', path: '/up' })).toEqual({ type: 'http', path: '/up' });
    expect(balancerCheckAsProbed('l7-balancer', { intervalMs: 100 })).toEqual({ intervalMs: 100 });
  });
});
