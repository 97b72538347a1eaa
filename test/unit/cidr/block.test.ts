import { describe, expect, it } from 'vitest';
import { blockSize, contains, formatCidr, overlaps, parseCidr, rangeToBlocks, safeParseCidr, splitBlock } from '../../../core/cidr/index.js';

describe('safeParseCidr', () => {
  const valid: [string, string, string][] = [
    ['10.0.0.0/16', '10.0.0.0/16', '65536'],
    ['0.0.0.0/0', '0.0.0.0/0', '4294967296'],
    ['255.255.255.255/32', '255.255.255.255/32', '1'],
    ['192.168.1.128/25', '192.168.1.128/25', '128'],
    ['::/0', '::/0', (1n << 128n).toString()],
    ['2001:db8::/32', '2001:db8::/32', (1n << 96n).toString()],
    ['2001:DB8:0:0::/64', '2001:db8::/64', (1n << 64n).toString()],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', '1'],
    ['::ffff:10.0.0.0/120', '::ffff:a00:0/120', '256'],
  ];
  it.each(valid)('%s parses to %s with %s addresses', (text, canonical, size) => {
    const result = safeParseCidr(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(formatCidr(result.block)).toBe(canonical);
    expect(blockSize(result.block).toString()).toBe(size);
  });

  const hostBits: [string, string][] = [
    ['10.0.1.5/24', '10.0.1.0/24'],
    ['10.0.0.1/0', '0.0.0.0/0'],
    ['172.16.5.0/12', '172.16.0.0/12'],
    ['2001:db8::1/64', '2001:db8::/64'],
  ];
  it.each(hostBits)('%s has host bits set; the fix is %s', (text, fix) => {
    const result = safeParseCidr(text);
    expect(result).toMatchObject({ ok: false, problem: { code: 'cidr-host-bits', fix } });
  });

  const invalidCases = ['10.0.0.0', '10.0.0/16', '10.0.0.256/24', '010.0.0.0/8', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/08', ' 10.0.0.0/8', '10.0.0.0/8 ', '2001:db8::/129', '2001:db8:::/32', 'fe80::1%eth0/64', 'abc/8', '', '/8', '1.2.3.4.5/32'];
  it.each(invalidCases)('%j is cidr-invalid', (text) => {
    const result = safeParseCidr(text);
    expect(result).toMatchObject({ ok: false, problem: { code: 'cidr-invalid' } });
  });
});

describe('contains and overlaps', () => {
  const table: [string, string, boolean, boolean][] = [
    ['10.0.0.0/16', '10.0.1.0/24', true, true],
    ['10.0.1.0/24', '10.0.0.0/16', false, true],
    ['10.0.0.0/24', '10.0.1.0/24', false, false],
    ['10.0.0.0/23', '10.0.1.0/24', true, true],
    ['0.0.0.0/0', '255.255.255.255/32', true, true],
    ['10.0.0.0/8', '2001:db8::/32', false, false],
    ['2001:db8::/32', '2001:db8:ffff:ffff::/64', true, true],
    ['10.0.0.0/16', '10.0.0.0/16', true, true],
  ];
  it.each(table)('%s vs %s: contains %s, overlaps %s', (a, b, c, o) => {
    expect(contains(parseCidr(a), parseCidr(b))).toBe(c);
    expect(overlaps(parseCidr(a), parseCidr(b))).toBe(o);
  });
});

describe('split and ranges', () => {
  it('splits a /22 into four /24s', () => {
    expect(splitBlock(parseCidr('10.0.0.0/22'), 24).map(formatCidr)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
  });
  it('refuses a split that would produce millions of blocks', () => {
    expect(() => splitBlock(parseCidr('10.0.0.0/8'), 32)).toThrow(/limit/);
  });
  it('covers an unaligned range with the fewest blocks', () => {
    const first = parseCidr('10.0.0.1/32').first;
    const last = parseCidr('10.0.0.6/32').first;
    expect(rangeToBlocks(4, first, last).map(formatCidr)).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
  });
  it('covers the whole IPv6 space with ::/0', () => {
    expect(rangeToBlocks(6, 0n, (1n << 128n) - 1n).map(formatCidr)).toEqual(['::/0']);
  });
});
