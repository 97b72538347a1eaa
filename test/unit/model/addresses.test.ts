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

/**
 * An IPv4 and an IPv6 address can be the same integer (`0.0.0.4` and `::4` are both 4;
 * `10.0.1.4` and `::a00:104` both 167772420): they are two addresses all the same, so one
 * never takes the other's place in a subnet. Designs with an address of the other family in
 * a subnet are invalid (the validator says so) but must not get a wrong address meanwhile.
 */
describe('addresses of the two families that share a number', () => {
  const plan = (nodes: unknown[]) => new TopologyIndex(parseTopology(JSON.stringify({ schema: 'topolab/1', nodes })));

  it('an IPv6 address does not take the IPv4 address of the same number', () => {
    for (const [cidr, v6, expected] of [
      ['10.0.1.0/28', '::a00:104', '10.0.1.4'],
      ['0.0.0.0/28', '::4', '0.0.0.4'],
    ] as const) {
      const index = plan([
        { id: 'vpc', kind: 'vpc', cidr: cidr.startsWith('10.') ? '10.0.0.0/16' : '0.0.0.0/16' },
        { id: 'a', kind: 'subnet', parent: 'vpc', cidr },
        { id: 'six', kind: 'server', parent: 'a', ip: v6 },
        { id: 'web', kind: 'server', parent: 'a' },
      ]);
      const addresses = resolveAddresses(index);
      expect(addresses.get('six')).toMatchObject({ version: 6, assigned: false });
      expect(addresses.get('web'), cidr).toMatchObject({ ip: expected, version: 4, assigned: true });
    }
  });

  it('an IPv4 address does not take the IPv6 address of the same number', () => {
    const index = plan([
      { id: 'vpc', kind: 'vpc', cidr: '::/56' },
      { id: 'a', kind: 'subnet', parent: 'vpc', cidr: '::/120' },
      { id: 'four', kind: 'server', parent: 'a', ip: '0.0.0.4' },
      { id: 'web', kind: 'server', parent: 'a' },
      { id: 'asg', kind: 'autoscaling-group', parent: 'a', min: 1, max: 2 },
    ]);
    const addresses = resolveAddresses(index);
    expect(addresses.get('four')).toMatchObject({ ip: '0.0.0.4', version: 4, assigned: false });
    // AWS keeps ::0 to ::3: ::4 is the first usable address, and 0.0.0.4 is not it.
    expect(addresses.get('web')).toMatchObject({ ip: '::4', version: 6, assigned: true });
    expect(groupInstanceAddresses(index, addresses).get('asg')?.map((a) => a.ip)).toEqual(['::5', '::6']);
  });

  it('an auto-scaling group skips only addresses of its own family', () => {
    const index = plan([
      { id: 'vpc', kind: 'vpc', cidr: '::/56' },
      { id: 'a', kind: 'subnet', parent: 'vpc', cidr: '::/120' },
      { id: 'b', kind: 'subnet', parent: 'vpc', cidr: '::100/120' },
      { id: 'four', kind: 'server', parent: 'b', ip: '0.0.0.4' },
      { id: 'asg', kind: 'autoscaling-group', parent: 'a', min: 1, max: 2 },
    ]);
    expect(groupInstanceAddresses(index, resolveAddresses(index)).get('asg')?.map((a) => a.ip)).toEqual(['::4', '::5']);
  });
});
