import { describe, expect, it } from 'vitest';
import { validateTopology } from '../../../core/validate/index.js';
import { add, all, fixture, patch, variant } from './helpers.js';

describe('validateTopology ordering', () => {
  it('sorts errors, then warnings, each in node order', () => {
    const topology = variant(
      fixture('base'),
      all(
        add({ id: 'vpc-x', kind: 'vpc', cidr: '8.8.0.0/16', region: 'r' }), // warning at node 16
        patch('rt-public', { main: undefined }), // warning at node 2, errors at nodes 6 and 7 (lb alone in no table: two)
        patch('web-2', { ip: '10.0.1.10' }), // error at node 9
        patch('asg', { desired: 9 }), // error at node 14
      ),
    );
    const found = validateTopology(topology).map((d) => `${d.severity} ${d.code} ${d.nodeIds[0]}`);
    expect(found).toEqual([
      // public-a lost its table: the visitor's edge to the balancer is blocked there (the
      // balancer's edges inside the VPC still go by the implicit main table's local route).
      'error connection-blocked public-a',
      'error nat-in-private-subnet nat',
      'error public-lb-in-private-subnet lb',
      'error ip-duplicate web-2',
      'error asg-size asg',
      'warning route-table-missing public-a',
      'warning alb-single-zone lb',
      'warning vpc-not-private vpc-x',
    ]);
  });

  it('is deterministic', () => {
    const topology = variant(fixture('base'), patch('web-1', { ip: '10.0.1.1' }));
    expect(validateTopology(topology)).toEqual(validateTopology(structuredClone(topology)));
  });
});
