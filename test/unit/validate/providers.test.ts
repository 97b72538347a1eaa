import { describe, expect, it } from 'vitest';
import type { Provider } from '../../../core/model/index.js';
import { ipv4BesideIPv6 } from '../../support/address-families.js';
import { add, all, diagnosticsOf, fixture, patch, provider, variant } from './helpers.js';

/** Cloud rules differ: subnet and VPC sizes, and which addresses of a subnet are reserved. */
const base = fixture('base');

describe('subnet sizes per provider', () => {
  const cases: [Provider, number, boolean][] = [
    ['aws', 28, true],
    ['aws', 29, false],
    ['azure', 29, true],
    ['azure', 30, false],
    ['gcp', 29, true],
    ['gcp', 30, false],
    ['generic', 30, true],
    ['generic', 32, true],
  ];
  it.each(cases)('%s: a /%i subnet is allowed: %s', (id, prefix, allowed) => {
    const topology = variant(base, all(provider(id), add({ id: 'x', kind: 'subnet', parent: 'vpc-main', cidr: `10.0.9.0/${prefix}` })));
    const found = diagnosticsOf(topology, 'subnet-too-small');
    if (allowed) expect(found).toEqual([]);
    else {
      expect(found).toHaveLength(1);
      const label = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud', generic: 'generic IP' }[id];
      expect(found[0]!.message).toContain(`${label} subnets are /${id === 'aws' ? 16 : 8} to /${id === 'aws' ? 28 : 29}`);
    }
  });
});

describe('VPC sizes per provider', () => {
  const cases: [Provider, string, boolean][] = [
    ['aws', '10.8.0.0/15', false],
    ['aws', '10.8.0.0/16', true],
    ['aws', '10.8.0.0/28', true],
    ['aws', '10.8.0.0/29', false],
    ['azure', '10.8.0.0/15', true],
    ['azure', '10.8.0.0/29', true],
    ['gcp', '10.0.0.0/8', true],
    ['gcp', '10.0.0.0/7', false],
    ['generic', '10.8.0.0/30', true],
  ];
  it.each(cases)('%s: VPC %s is allowed: %s', (id, cidr, allowed) => {
    // Another region, so that the large blocks do not also overlap the base VPCs.
    const topology = variant(base, all(provider(id), add({ id: 'vpc-x', kind: 'vpc', cidr, region: 'eu-central-1' })));
    expect(diagnosticsOf(topology, 'vpc-size').length === 0).toBe(allowed);
  });
});

describe('reserved addresses per provider', () => {
  // [provider, last octet of web-1 in 10.0.1.0/24, the reason named, or null when usable]
  const cases: [Provider, number, RegExp | null][] = [
    ['aws', 0, /network address/],
    ['aws', 1, /reserved by AWS for the VPC router/],
    ['aws', 2, /reserved by AWS for DNS/],
    ['aws', 3, /reserved by AWS for future use/],
    ['aws', 4, null],
    ['aws', 254, null],
    ['aws', 255, /broadcast address/],
    ['azure', 1, /reserved by Azure for the default gateway/],
    ['azure', 3, /reserved by Azure for DNS/],
    ['azure', 4, null],
    ['azure', 255, /broadcast/],
    ['gcp', 1, /reserved by Google Cloud for the default gateway/],
    ['gcp', 2, null],
    ['gcp', 3, null],
    ['gcp', 253, null],
    ['gcp', 254, /reserved by Google Cloud for future use/],
    ['gcp', 255, /broadcast/],
    ['generic', 0, /network address/],
    ['generic', 1, null],
    ['generic', 255, /broadcast address/],
  ];
  it.each(cases)('%s: 10.0.1.%i reserved: %s', (id, octet, reason) => {
    const topology = variant(base, all(provider(id), patch('web-1', { ip: `10.0.1.${octet}` })));
    const found = diagnosticsOf(topology, 'ip-reserved');
    if (reason === null) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(reason);
  });

  it('names the count each provider reserves in the message', () => {
    const rule = (id: Provider): string =>
      diagnosticsOf(variant(base, all(provider(id), patch('web-1', { ip: '10.0.1.0' }))), 'ip-reserved')[0]!.message;
    expect(rule('aws')).toContain('AWS reserves the first four addresses and the last address of every subnet');
    expect(rule('azure')).toContain('Azure reserves the first four addresses and the last address');
    expect(rule('gcp')).toContain('Google Cloud reserves four addresses in every subnet');
    expect(rule('generic')).toContain('network and broadcast');
  });

  it('fixes to the lowest usable address not taken (GCP reserves fewer at the start)', () => {
    const fixOf = (id: Provider): unknown =>
      diagnosticsOf(variant(base, all(provider(id), patch('web-1', { ip: '10.0.1.0' }), patch('web-2', { ip: '10.0.1.100' }))), 'ip-reserved')[0]!.fix?.value;
    expect(fixOf('aws')).toBe('10.0.1.4');
    expect(fixOf('azure')).toBe('10.0.1.4');
    expect(fixOf('gcp')).toBe('10.0.1.2');
    expect(fixOf('generic')).toBe('10.0.1.1');
  });
});

describe('the fix of a reserved address counts only addresses of its own family', () => {
  it('an IPv4 address of the same number as a free IPv6 one does not take it (0.0.0.4 is not ::4)', () => {
    expect(diagnosticsOf(ipv4BesideIPv6([{ id: 'router-ip', ip: '::1' }]), 'ip-reserved')[0]?.fix?.value).toBe('::4');
  });
});
