import { describe, expect, it } from 'vitest';
import { DesignView } from '../../../core/export/design.js';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology, TopologyInput } from '../../../core/model/types.js';
import { TraceInputError } from '../../../core/routing/endpoints.js';
import { trace } from '../../../core/routing/trace.js';
import { planLabOrThrow } from '../../../core/runtime/lab/plan.js';

/**
 * A balancer in the edge VPC and an auto-scaling group in the app VPC over two subnets,
 * through a peering. `backRoutes` decides which app subnets route the replies back:
 * app-a has its own table, app-b uses the main table.
 */
function design(options: { mainRoutesBack?: boolean; aRoutesBack?: boolean; publicA?: boolean; max?: number } = {}): Topology {
  const back = { destination: '10.0.0.0/16', target: 'pcx' };
  const input: TopologyInput = {
    schema: 'topolab/1',
    nodes: [
      { kind: 'vpc', id: 'edge', cidr: '10.0.0.0/16' },
      { kind: 'internet-gateway', id: 'igw', parent: 'edge' },
      { kind: 'subnet', id: 'edge-public', parent: 'edge', cidr: '10.0.1.0/24' },
      { kind: 'route-table', id: 'rt-edge', parent: 'edge', main: true, routes: [{ destination: '0.0.0.0/0', target: 'igw' }, { destination: '10.1.0.0/16', target: 'pcx' }] },
      { kind: 'vpc', id: 'app', cidr: '10.1.0.0/16' },
      { kind: 'internet-gateway', id: 'igw-app', parent: 'app' },
      { kind: 'subnet', id: 'app-a', parent: 'app', cidr: '10.1.1.0/24' },
      { kind: 'subnet', id: 'app-b', parent: 'app', cidr: '10.1.2.0/24' },
      {
        kind: 'route-table',
        id: 'rt-app-a',
        parent: 'app',
        subnets: ['app-a'],
        routes: [...(options.aRoutesBack === false ? [] : [back]), ...(options.publicA ? [{ destination: '0.0.0.0/0', target: 'igw-app' }] : [])],
      },
      { kind: 'route-table', id: 'rt-app-main', parent: 'app', main: true, routes: options.mainRoutesBack ? [back] : [] },
      { kind: 'peering', id: 'pcx', vpcs: ['edge', 'app'] },
      { kind: 'client', id: 'user', ip: '203.0.113.10' },
      { kind: 'load-balancer', id: 'lb', parent: 'edge-public', ip: '10.0.1.10', internetFacing: true },
      { kind: 'autoscaling-group', id: 'asg', parent: 'app-a', subnets: ['app-b'], min: 2, max: options.max ?? 4, desired: 2, template: { port: 8080 } },
    ],
    edges: [{ id: 'lb-asg', from: 'lb', to: 'asg' }],
  };
  return parseTopology(JSON.stringify(input));
}

describe('a trace to an auto-scaling group considers each instance in its own subnet', () => {
  it('is blocked when some instances are, naming them by subnet and giving every instance its verdict', () => {
    const result = trace(design(), { from: 'lb', to: 'asg' });
    expect(result.verdict).toBe('blocked');
    expect(result.blockedBy).toMatchObject({ code: 'peering-no-return-route', nodeId: 'rt-app-main' });
    expect(result.blockedBy?.reason).toMatch(
      /^traffic to 2 of 4 instances of auto-scaling group "asg" is blocked: asg#2, asg#4 in subnet "app-b"; only asg#1, asg#3 in subnet "app-a" are reachable\. asg#2: peering without a return route: route table "rt-app-main"/,
    );
    // The fix: the far table routes the balancer's VPC back through the peering.
    const fix = { title: 'Route 10.0.0.0/16 through pcx in rt-app-main', nodeId: 'rt-app-main', field: 'routes', value: [{ destination: '10.0.0.0/16', target: 'pcx' }] };
    expect(result.instances).toEqual([
      { id: 'asg#1', subnetId: 'app-a', address: '10.1.1.4:8080', verdict: 'reachable' },
      { id: 'asg#2', subnetId: 'app-b', address: '10.1.2.4:8080', verdict: 'blocked', blockedBy: { code: 'peering-no-return-route', nodeId: 'rt-app-main', reason: expect.stringMatching(/no route back to 10\.0\.1\.10/) as unknown as string, fix } },
      { id: 'asg#3', subnetId: 'app-a', address: '10.1.1.5:8080', verdict: 'reachable' },
      { id: 'asg#4', subnetId: 'app-b', address: '10.1.2.5:8080', verdict: 'blocked', blockedBy: { code: 'peering-no-return-route', nodeId: 'rt-app-main', reason: expect.any(String) as unknown as string, fix } },
    ]);
    expect(result.blockedBy?.fix).toEqual(fix);
    // The hops are the first blocked instance's, ending at its subnet's table.
    expect(result.hops.map((h) => h.kind)).toEqual(['node', 'subnet', 'route-table', 'route', 'peering', 'subnet', 'route-table']);
    expect(result.hops[5]).toMatchObject({ kind: 'subnet', nodeId: 'app-b' });
    expect(Object.keys(result)).toEqual(['verdict', 'hops', 'blockedBy', 'instances']);
  });

  it('near miss: is reachable when every subnet routes back, still listing every instance', () => {
    const result = trace(design({ mainRoutesBack: true }), { from: 'lb', to: 'asg' });
    expect(result.verdict).toBe('reachable');
    expect(result.blockedBy).toBeUndefined();
    expect(result.instances?.map((i) => `${i.id}:${i.subnetId}:${i.verdict}`)).toEqual(['asg#1:app-a:reachable', 'asg#2:app-b:reachable', 'asg#3:app-a:reachable', 'asg#4:app-b:reachable']);
    expect(result.hops.at(-1)).toMatchObject({ kind: 'node', nodeId: 'asg', address: '10.1.1.4:8080', description: 'arrive at instance "asg#1" of auto-scaling group "asg"' });
  });

  it('says "every instance" when none is reachable', () => {
    const result = trace(design({ aRoutesBack: false }), { from: 'lb', to: 'asg' });
    expect(result.blockedBy?.reason).toMatch(/^traffic to every instance of auto-scaling group "asg" is blocked \(asg#1, asg#3 in subnet "app-a" and asg#2, asg#4 in subnet "app-b"\)\. asg#1: /);
    expect(result.blockedBy?.nodeId).toBe('rt-app-a');
  });

  it('traces one instance by its id or its address, with no per-instance list', () => {
    const topology = design();
    expect(trace(topology, { from: 'lb', to: 'asg#1' })).toMatchObject({ verdict: 'reachable' });
    const two = trace(topology, { from: 'lb', to: 'asg#2' });
    expect(two).toMatchObject({ verdict: 'blocked', blockedBy: { nodeId: 'rt-app-main' } });
    expect(two.instances).toBeUndefined();
    const byAddress = trace(topology, { from: 'lb', to: '10.1.2.5' });
    expect(byAddress).toMatchObject({ verdict: 'blocked', blockedBy: { code: 'peering-no-return-route', nodeId: 'rt-app-main', reason: expect.stringMatching(/^peering without a return route/) as unknown as string } });
    expect(trace(design({ mainRoutesBack: true }), { from: 'lb', to: '10.1.2.5' }).hops.at(-1)?.description).toBe('arrive at instance "asg#4" of auto-scaling group "asg"');
  });

  it('checks the port against the instances\' template port', () => {
    const topology = design({ mainRoutesBack: true });
    expect(trace(topology, { from: 'lb', to: 'asg', port: 8080 }).verdict).toBe('reachable');
    const wrong = trace(topology, { from: 'lb', to: 'asg', port: 80 });
    expect(wrong.blockedBy).toMatchObject({ nodeId: 'asg', reason: expect.stringMatching(/asg#1: instance "asg#1" \(10\.1\.1\.4\) listens on port 8080, not 80$/) as unknown as string });
  });

  it('refuses an instance the group can never run', () => {
    expect(() => trace(design(), { from: 'lb', to: 'asg#5' })).toThrow(TraceInputError);
    expect(() => trace(design(), { from: 'lb', to: 'asg#5' })).toThrow(/has 4 instance addresses \(asg#1 to asg#4\); "asg#5" is none of them/);
    expect(() => trace(design(), { from: 'lb', to: 'nope#1' })).toThrow(/no node "nope#1"/);
  });

  it('traces from a group per instance too: each sends from its own subnet', () => {
    const result = trace(design(), { from: 'asg', to: 'lb' });
    expect(result.verdict).toBe('blocked');
    expect(result.blockedBy?.reason).toMatch(/^traffic from 2 of 4 instances of auto-scaling group "asg" is blocked: asg#2, asg#4 in subnet "app-b"/);
    expect(result.hops[0]).toMatchObject({ kind: 'node', nodeId: 'asg', description: 'start at instance "asg#2" of auto-scaling group "asg"' });
    expect(trace(design({ mainRoutesBack: true }), { from: 'asg', to: 'lb' }).verdict).toBe('reachable');
  });

  it('from the internet, only the instances in a public subnet are reachable', () => {
    const result = trace(design({ publicA: true, mainRoutesBack: true }), { from: 'user', to: 'asg' });
    expect(result.verdict).toBe('blocked');
    expect(result.blockedBy).toMatchObject({ nodeId: 'app-b', reason: expect.stringMatching(/only asg#1, asg#3 in subnet "app-a" are reachable\. asg#2: instance "asg#2" \(10\.1\.2\.4\) is in private subnet "app-b"/) as unknown as string });
  });

  it('uses the same instance addresses as the lab and the exports', () => {
    const topology = design({ mainRoutesBack: true });
    const traced = trace(topology, { from: 'lb', to: 'asg' }).instances?.map((i) => i.address);
    const plan = planLabOrThrow(topology).groups[0]?.instanceAddresses.map((a) => `${a.ip}:${a.port}`);
    expect(traced).toEqual(plan);
    const exported = new DesignView(topology).instancesOf('asg').map((e) => `${e.ip}:${e.port}`);
    expect(exported).toEqual(traced?.slice(0, 2)); // exports run `desired` instances, the first slots
  });

  it('a group whose max fits one subnet still spreads over both, as the lab does', () => {
    const result = trace(design({ max: 2 }), { from: 'lb', to: 'asg' });
    expect(result.instances?.map((i) => i.subnetId)).toEqual(['app-a', 'app-b']);
    expect(result.verdict).toBe('blocked');
  });
});
