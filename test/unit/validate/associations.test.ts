import { describe, expect, it } from 'vitest';
import { TopologyIndex } from '../../../core/model/index.js';
import { buildValidationContext, effectiveRouteTable, isPublicSubnet, routeTableAssociations } from '../../../core/validate/index.js';
import { fixture, nodeById, patch, variant } from './helpers.js';

/** The effective-route-table helper the public-subnet rules stand on (to be unified with core/routing). */
const base = fixture('base');

function tableOf(topology: typeof base, subnetId: string): string | undefined {
  const index = new TopologyIndex(topology);
  const subnet = index.nodeOfKind(subnetId, 'subnet')!;
  return effectiveRouteTable(routeTableAssociations(index), index, subnet)?.id;
}

describe('effectiveRouteTable', () => {
  it('uses the explicit association first, else the main table of the VPC', () => {
    expect(tableOf(base, 'private-a')).toBe('rt-private');
    expect(tableOf(base, 'public-a')).toBe('rt-public');
    expect(tableOf(base, 'peer-sub')).toBe('rt-peer');
  });

  it('has none without an association and a main table', () => {
    expect(tableOf(variant(base, patch('rt-public', { main: undefined })), 'public-a')).toBeUndefined();
  });

  it('keeps the first table in file order when a subnet is listed twice', () => {
    expect(tableOf(variant(base, patch('rt-public', { subnets: ['private-a'] })), 'private-a')).toBe('rt-public');
  });

  it("ignores a table of another VPC that lists the subnet (reported as route-table-foreign-subnet)", () => {
    const foreign = variant(base, patch('rt-peer', { subnets: ['public-a'] }));
    expect(tableOf(foreign, 'public-a')).toBe('rt-public');
    expect(routeTableAssociations(new TopologyIndex(foreign)).foreign).toMatchObject([{ subnetId: 'public-a', slot: 0 }]);
  });
});

describe('isPublicSubnet', () => {
  it('is true only with a default route to an internet gateway of the same VPC', () => {
    const context = buildValidationContext(base);
    const subnet = (id: string) => context.index.nodeOfKind(id, 'subnet')!;
    expect(isPublicSubnet(context, subnet('public-a'))).toBe(true);
    expect(isPublicSubnet(context, subnet('private-a'))).toBe(false);
    // A default route to the other VPC's gateway does not make a subnet public.
    const viaPeerGateway = variant(base, (t) => {
      t.nodes.push({ id: 'igw-peer', kind: 'internet-gateway', parent: 'vpc-peer' });
      nodeById(t, 'rt-private')['routes'] = [{ destination: '0.0.0.0/0', target: 'igw-peer' }];
    });
    const other = buildValidationContext(viaPeerGateway);
    expect(isPublicSubnet(other, other.index.nodeOfKind('private-a', 'subnet')!)).toBe(false);
  });
});
