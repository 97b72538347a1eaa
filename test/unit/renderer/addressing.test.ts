import { describe, expect, it } from 'vitest';
import { proposeAddress } from '../../../renderer/actions/addressing.js';
import { ipv4BesideIPv6 } from '../../support/address-families.js';

describe('proposeAddress', () => {
  it('does not count an address of the other family as taken (0.0.0.4 is not ::4)', () => {
    // AWS keeps ::0 to ::3; ::5 is taken; 0.0.0.4 is another address than ::4.
    expect(proposeAddress(ipv4BesideIPv6([{ id: 'five', ip: '::5' }]), 'a')).toEqual({ ip: '::4' });
  });
});
