import type { Topology } from '../../core/model/index.js';

/**
 * An AWS design whose IPv6 subnet `a` (`::/120`: AWS keeps `::0` to `::3`) holds a server
 * `four` at the IPv4 address `0.0.0.4`, the same number as `::4` yet another address, plus
 * `servers` of the caller (id and ip): for tests that `::4` stays free.
 */
export function ipv4BesideIPv6(servers: { id: string; ip: string }[]): Topology {
  return {
    schema: 'topolab/1',
    name: 'families',
    provider: 'aws',
    nodes: [
      { id: 'vpc', kind: 'vpc', cidr: '::/56' },
      { id: 'a', kind: 'subnet', parent: 'vpc', cidr: '::/120' },
      { id: 'four', kind: 'server', parent: 'a', ip: '0.0.0.4' },
      ...servers.map((s) => ({ ...s, kind: 'server', parent: 'a' })),
    ],
    edges: [],
    layout: {},
  } as unknown as Topology;
}
