import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIND_TRAITS, parseTopology, safeParseTopology, type Topology } from '../../../core/model/index.js';
import { trace, Tracer, type TraceRequest, type TraceResult } from '../../../core/routing/trace.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** Every design of the examples and fixtures that loads. */
function designs(): [string, Topology][] {
  const out: [string, Topology][] = [];
  for (const dir of ['examples', 'test/fixtures/lab', 'test/fixtures/export', 'test/fixtures/diagnostics', 'test/fixtures/routing']) {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.topolab.json'))) {
      const loaded = safeParseTopology(readFileSync(join(ROOT, dir, file), 'utf8'));
      if (loaded.ok) out.push([`${dir}/${file}`, loaded.topology]);
    }
  }
  return out;
}

/**
 * Several senders of different kinds in one subnet, whose flows differ only by what the
 * sender is: a public server and an internal balancer side by side (only one has a public
 * address), two servers of one subnet of which one is covered by a narrower return route
 * through the peering, an internet client and an auto-scaling group.
 */
const MIXED = parseTopology(
  JSON.stringify({
    schema: 'topolab/1',
    nodes: [
      { id: 'vpc-a', kind: 'vpc', cidr: '10.0.0.0/16' },
      { id: 'igw-a', kind: 'internet-gateway', parent: 'vpc-a' },
      { id: 'pub', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.0.0/24' },
      { id: 'web', kind: 'server', parent: 'pub', ip: '10.0.0.10' },
      { id: 'lb-int', kind: 'load-balancer', parent: 'pub', ip: '10.0.0.11' },
      { id: 'lb-pub', kind: 'load-balancer', parent: 'pub', ip: '10.0.0.12', internetFacing: true },
      { id: 'nat', kind: 'nat-gateway', parent: 'pub', ip: '10.0.0.20' },
      { id: 'rt-pub', kind: 'route-table', parent: 'vpc-a', subnets: ['pub'], routes: [{ destination: '0.0.0.0/0', target: 'igw-a' }, { destination: '10.3.0.0/16', target: 'pcx' }] },
      { id: 'app', kind: 'subnet', parent: 'vpc-a', cidr: '10.0.1.0/24' },
      { id: 'app-1', kind: 'server', parent: 'app', ip: '10.0.1.5' },
      { id: 'app-2', kind: 'server', parent: 'app', ip: '10.0.1.200' },
      { id: 'asg', kind: 'autoscaling-group', parent: 'app', min: 1, max: 3, subnets: ['pub'] },
      { id: 'rt-app', kind: 'route-table', parent: 'vpc-a', subnets: ['app'], routes: [{ destination: '0.0.0.0/0', target: 'nat' }, { destination: '10.3.0.0/16', target: 'pcx' }] },
      { id: 'vpc-d', kind: 'vpc', cidr: '10.3.0.0/16' },
      { id: 'sub-d', kind: 'subnet', parent: 'vpc-d', cidr: '10.3.0.0/24' },
      { id: 'db', kind: 'server', parent: 'sub-d', ip: '10.3.0.10', port: 5432 },
      // Replies reach only the lower half of "app" (and all of "pub") through the peering.
      { id: 'rt-d', kind: 'route-table', parent: 'vpc-d', main: true, routes: [{ destination: '10.0.0.0/24', target: 'pcx' }, { destination: '10.0.1.0/25', target: 'pcx' }] },
      { id: 'pcx', kind: 'peering', vpcs: ['vpc-a', 'vpc-d'] },
      { id: 'visitor', kind: 'client', ip: '203.0.113.10' },
    ],
  }),
);

/** Every node a trace may start or end at, plus each auto-scaling instance. */
function ends(topology: Topology): string[] {
  const out: string[] = [];
  for (const node of topology.nodes) {
    if (!KIND_TRAITS[node.kind].traceEndpoint) continue;
    out.push(node.id);
    if (node.kind === 'autoscaling-group') out.push(`${node.id}#1`, `${node.id}#2`);
  }
  return out;
}

type Outcome = { result: TraceResult } | { error: string };

function attempt(run: () => TraceResult): Outcome {
  try {
    return { result: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Every ordered pair with no port, and those of the first ten sources on port 80 too, in the given order of sources. */
function requests(topology: Topology, reverse: boolean): TraceRequest[] {
  const list = ends(topology);
  const withPort = new Set(list.slice(0, 10));
  const sources = reverse ? [...list].reverse() : list;
  return sources.flatMap((from) =>
    list.flatMap((to) => (from === to ? [] : [{ from, to }, ...(withPort.has(from) ? [{ from, to, port: 80, protocol: 'tcp' as const }] : [])])),
  );
}

describe('Tracer: cached answers equal fresh traces', () => {
  const cases: [string, Topology][] = [['mixed senders', MIXED], ...designs()];

  it.each(cases)('%s: every pair, in both orders', (_name, topology) => {
    const key = (r: TraceRequest): string => `${r.from}>${r.to}:${r.port ?? ''}`;
    const fresh = new Map(requests(topology, false).map((r) => [key(r), attempt(() => trace(topology, r))]));
    for (const reverse of [false, true]) {
      const tracer = new Tracer(topology);
      for (const request of requests(topology, reverse)) expect(attempt(() => tracer.trace(request)), key(request)).toEqual(fresh.get(key(request)));
      // Asked again, from the cache.
      for (const request of requests(topology, !reverse)) expect(attempt(() => tracer.trace(request)), `again ${key(request)}`).toEqual(fresh.get(key(request)));
    }
  });

  it('shares a walk across a subnet only when it read nothing of its source', () => {
    const tracer = new Tracer(MIXED);
    // Inside the VPC: app-1 and app-2 share one walk to lb-int.
    tracer.trace({ from: 'app-1', to: 'lb-int' });
    const before = tracer.walks;
    expect(tracer.trace({ from: 'app-2', to: 'lb-int' }).verdict).toBe('reachable');
    expect(tracer.walks).toBe(before);
    // Through the peering the source address decides the return route: a walk each.
    expect(tracer.trace({ from: 'app-1', to: 'db' }).verdict).toBe('reachable');
    const blocked = tracer.trace({ from: 'app-2', to: 'db' });
    expect(tracer.walks).toBe(before + 2);
    expect(blocked.verdict).toBe('blocked');
    expect(blocked.blockedBy?.reason).toContain('10.0.1.200');
    // To the internet, whether the sender has a public address decides: web does, lb-int does not.
    expect(tracer.trace({ from: 'web', to: '198.51.100.1' }).verdict).toBe('reachable');
    expect(tracer.trace({ from: 'lb-int', to: '198.51.100.1' }).blockedBy?.reason).toContain('internal');
  });
});
