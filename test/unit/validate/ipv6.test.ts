import { describe, expect, it } from 'vitest';
import { validateTopology } from '../../../core/validate/index.js';
import { add, diagnosticsOf, fixture, nodeById, patch, variant } from './helpers.js';

/** IPv6: the same rules on 128-bit addresses (BigInt paths). Node indexes: 0 vpc6, 1 igw6, 2 web6, 3 app6, 4 rt6, 5 lb6, 6 srv6. */
const base = fixture('ipv6');

describe('IPv6 diagnostics', () => {
  it('cidr-host-bits gives the canonical /64 as the fix', () => {
    const [d] = diagnosticsOf(variant(base, patch('app6', { cidr: 'fd00:10:0:1::1/64' })), 'cidr-host-bits');
    expect(d).toMatchObject({ severity: 'error', nodeIds: ['app6'], path: 'nodes[3].cidr', fix: { field: 'cidr', value: 'fd00:10:0:1::/64' } });
  });

  it('cidr-invalid for a malformed IPv6 block', () => {
    expect(diagnosticsOf(variant(base, patch('app6', { cidr: 'fd00:10:::1/64' })), 'cidr-invalid')).toHaveLength(1);
  });

  it('subnet-too-small names the IPv6 range of AWS', () => {
    const [d] = diagnosticsOf(variant(base, patch('app6', { cidr: 'fd00:10:0:1::/68' })), 'subnet-too-small');
    expect(d?.message).toContain('AWS subnets are /44 to /64 (IPv6)');
  });

  it('subnet-overlap for the same /64 twice', () => {
    const [d] = diagnosticsOf(variant(base, add({ id: 'dup6', kind: 'subnet', parent: 'vpc6', cidr: 'fd00:10::/64' })), 'subnet-overlap');
    expect(d).toMatchObject({ nodeIds: ['dup6', 'web6'], path: 'nodes[7].cidr' });
    expect(d?.message).toContain('is the same block as');
  });

  it('subnet-outside-vpc for a /64 outside the /56', () => {
    expect(diagnosticsOf(variant(base, patch('app6', { cidr: 'fd00:11::/64' })), 'subnet-outside-vpc')).toHaveLength(1);
  });

  it('subnet-outside-vpc for an IPv4 subnet in an IPv6-only VPC', () => {
    expect(diagnosticsOf(variant(base, patch('app6', { cidr: '10.0.0.0/24' })), 'subnet-outside-vpc')).toHaveLength(1);
  });

  it('ip-reserved for the subnet-router address, with the next usable address as the fix', () => {
    const [d] = diagnosticsOf(variant(base, patch('srv6', { ip: 'fd00:10:0:1::' })), 'ip-reserved');
    expect(d).toMatchObject({ nodeIds: ['srv6', 'app6'], path: 'nodes[6].ip', fix: { field: 'ip', value: 'fd00:10:0:1::4' } });
  });

  it('ip-outside-subnet and ip-invalid', () => {
    expect(diagnosticsOf(variant(base, patch('srv6', { ip: 'fd00:10:0:2::10' })), 'ip-outside-subnet')).toHaveLength(1);
    expect(diagnosticsOf(variant(base, patch('srv6', { ip: 'fd00::g' })), 'ip-invalid')).toHaveLength(1);
  });

  it('ip-duplicate compares canonical values, not text', () => {
    const [d] = diagnosticsOf(variant(base, add({ id: 'srv6b', kind: 'server', parent: 'app6', ip: 'FD00:10:0:1:0:0:0:10' })), 'ip-duplicate');
    expect(d).toMatchObject({ nodeIds: ['srv6b', 'srv6'] });
  });

  it('a ::/0 route to the internet gateway makes a subnet public; without it the balancer is in a private subnet', () => {
    const noDefault = variant(base, (t) => {
      nodeById(t, 'rt6')['routes'] = [];
    });
    expect(diagnosticsOf(noDefault, 'public-lb-in-private-subnet')).toMatchObject([{ nodeIds: ['lb6', 'web6'] }]);
  });

  it('vpc-not-private: documentation space is reported, ULA and global unicast are not', () => {
    expect(diagnosticsOf(variant(base, add({ id: 'v', kind: 'vpc', cidr: '2001:db8::/56', region: 'r' })), 'vpc-not-private')).toHaveLength(1);
    expect(diagnosticsOf(variant(base, add({ id: 'v', kind: 'vpc', cidr: '2600:1f18::/56', region: 'r' })), 'vpc-not-private')).toEqual([]);
    expect(validateTopology(base)).toEqual([]);
  });

  it('route-overlap treats ::/0 and 0:0::/0 as one destination', () => {
    const twice = variant(base, (t) => {
      (nodeById(t, 'rt6')['routes'] as unknown[]).push({ destination: '0:0::/0', target: 'igw6' });
    });
    expect(diagnosticsOf(twice, 'route-overlap')).toHaveLength(1);
  });
});
