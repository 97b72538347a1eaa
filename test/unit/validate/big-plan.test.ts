import { describe, expect, it } from 'vitest';
import type { Provider, TopologyNode } from '../../../core/model/index.js';
import { validateTopology } from '../../../core/validate/index.js';
import { generatePlan, withEdges } from '../../bench/validate.bench.js';

/** The benchmark's generated plan: no false positives at scale, and the sweep still finds planted problems. */
const SUBNETS = 10_000;

describe(`a generated plan of ${SUBNETS} subnets`, () => {
  it.each(['aws', 'azure', 'gcp', 'generic'] as Provider[])('has no diagnostic on %s', (provider) => {
    const plan = generatePlan(SUBNETS);
    plan.provider = provider;
    expect(validateTopology(plan)).toEqual([]);
  });

  it('with 1,000 edges (the bench case) has no diagnostic, and reports the two edges a blackhole route blocks, one of them by its replies', () => {
    const plan = withEdges(generatePlan(SUBNETS), 1000);
    expect(validateTopology(plan)).toEqual([]);
    // The first edge goes from vpc-0-s1-web to vpc-0-s11-web (10.0.0.176/28), both behind the private table.
    const table = plan.nodes.find((n) => n.id === 'vpc-0-rt-private');
    if (table?.kind !== 'route-table') throw new Error('generator changed');
    table.routes.push({ destination: '10.0.0.176/28', target: 'blackhole' });
    const found = validateTopology(plan).map((d) => `${d.code} ${d.nodeIds.join(',')} ${d.path ?? ''}`);
    // The second edge goes from vpc-0-s11-web to vpc-0-s21-web, also behind the private table: the blackhole
    // drops its replies to 10.0.0.176/28 (no-return-route), as AWS and the kernel lab do.
    expect(found).toEqual(['connection-blocked vpc-0-rt-private,vpc-0-s1-web,vpc-0-s11-web call-0', 'connection-blocked vpc-0-rt-private,vpc-0-s11-web,vpc-0-s21-web call-1']);
  });

  it('reports exactly the planted overlap, duplicate address and bad CIDR', () => {
    const plan = generatePlan(SUBNETS);
    const planted: TopologyNode[] = [
      // Inside vpc-2's subnet 1000 (10.2.62.128/28).
      { id: 'planted-overlap', kind: 'subnet', parent: 'vpc-2', cidr: '10.2.62.128/29' },
      // The explicit address of the server in vpc-0's subnet 1 (10.0.0.21).
      { id: 'planted-dup', kind: 'server', parent: 'vpc-0-s1', ip: '10.0.0.21' },
    ];
    plan.nodes.push(...planted);
    const subnet = plan.nodes.find((n) => n.id === 'vpc-2-s7');
    if (subnet?.kind !== 'subnet') throw new Error('generator changed');
    subnet.cidr = '10.2.0.113/28';
    const codes = validateTopology(plan).map((d) => `${d.code} ${d.nodeIds.join(',')}`);
    expect(codes.sort()).toEqual(
      [
        'cidr-host-bits vpc-2-s7',
        'ip-duplicate planted-dup,vpc-0-s1-web',
        'subnet-overlap planted-overlap,vpc-2-s1000',
        // On AWS a /29 is also too small.
        'subnet-too-small planted-overlap',
      ].sort(),
    );
  });
});
