import { describe, expect, it } from 'vitest';
import { groupInstanceAddresses, parseTopology, resolveAddresses, TopologyIndex } from '../../../core/model/index.js';

const topology = parseTopology(
  JSON.stringify({
    schema: 'topolab/1',
    nodes: [
      { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
      { id: 'a', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/28' },
      { id: 'b', kind: 'subnet', parent: 'vpc', cidr: '10.0.2.0/28' },
      { id: 'web', kind: 'server', parent: 'a' },
      { id: 'pinned', kind: 'server', parent: 'a', ip: '10.0.1.6' },
      { id: 'asg-1', kind: 'autoscaling-group', parent: 'a', subnets: ['b'], min: 1, max: 3 },
      { id: 'asg-2', kind: 'autoscaling-group', parent: 'a', min: 1, max: 2 },
    ],
  }),
);

describe('designed addresses', () => {
  const index = new TopologyIndex(topology);
  const addresses = resolveAddresses(index);

  it('assigns the first usable address not taken, after the provider reservations', () => {
    // AWS reserves .0-.3 and the broadcast: .4 is the first usable; .6 is pinned.
    expect(addresses.get('web')).toMatchObject({ ip: '10.0.1.4', port: 80, assigned: true });
    expect(addresses.get('pinned')).toMatchObject({ ip: '10.0.1.6', assigned: false });
  });

  it('spreads a group over its subnets in turn and never gives two groups one address', () => {
    const instances = groupInstanceAddresses(index, addresses);
    expect(instances.get('asg-1')?.map((a) => `${a.subnetId} ${a.ip}`)).toEqual(['a 10.0.1.5', 'b 10.0.2.4', 'a 10.0.1.7']);
    expect(instances.get('asg-2')?.map((a) => a.ip)).toEqual(['10.0.1.8', '10.0.1.9']);
  });

  it('gives fewer addresses than max when the subnets run out', () => {
    const small = parseTopology(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'a', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/28' },
          { id: 'asg', kind: 'autoscaling-group', parent: 'a', min: 1, max: 20 },
        ],
      }),
    );
    const smallIndex = new TopologyIndex(small);
    // A /28 has 16 addresses; AWS keeps 5 of them.
    expect(groupInstanceAddresses(smallIndex, resolveAddresses(smallIndex)).get('asg')).toHaveLength(11);
  });
});
