import { describe, expect, it } from 'vitest';
import { formatIPv4Number, parseIPv4Number, safeParseIp } from '../../../core/cidr/address.js';
import { parseIPv4Cidr, safeParseCidr } from '../../../core/cidr/block.js';
import { PROVIDER_IDS, providerProfile, reservedIPv4Offsets } from '../../../core/cidr/providers.js';
import { seededRandom } from '../../support/random.js';

/**
 * The plain-number IPv4 arithmetic of the bulk paths (resolveAddresses, the validator's
 * spans) against the BigInt reference it stands in for (safeParseCidr, safeParseIp,
 * profile.reserved): the same texts accepted, the same bounds, the same reserved
 * addresses, on seeded random input and at the edges of the address space.
 */

/** The BigInt answer, as numbers: what parseIPv4Cidr must give (or undefined). */
function reference(text: string): { prefix: number; first: number; last: number } | undefined {
  const parsed = safeParseCidr(text);
  if (!parsed.ok || parsed.block.version !== 4) return undefined;
  return { prefix: parsed.block.prefix, first: Number(parsed.block.first), last: Number(parsed.block.last) };
}

function numbers(text: string): { prefix: number; first: number; last: number } | undefined {
  const range = parseIPv4Cidr(text);
  return range && { prefix: range.prefix, first: range.first, last: range.last };
}

const EDGES = [
  '0.0.0.0/0',
  '0.0.0.0/32',
  '0.0.0.0/1',
  '128.0.0.0/1',
  '255.255.255.255/32',
  '255.255.255.254/31',
  '255.255.255.255/31',
  '255.255.255.0/24',
  '255.255.0.0/16',
  '10.0.0.0/8',
  '10.0.0.0/16',
  '10.0.1.0/24',
  '10.0.1.5/24',
  '1.0.0.0/0',
  '0.0.0.1/0',
  '255.255.255.255/0',
  '10.0.0.0/33',
  '10.0.0.0/032',
  '10.0.0.0/00',
  '10.0.0.0/',
  '10.0.0.0',
  '/24',
  '10.0.0/24',
  '10.0.0.0.0/24',
  '10.0.0.256/24',
  '010.0.0.0/8',
  '10.00.0.0/16',
  ' 10.0.0.0/16',
  '10.0.0.0/16 ',
  '10.0.0.0/1a',
  '10.0.0.0/-1',
  '10.0.0.0/+8',
  '10..0.0/16',
  '4294967296/0',
  '::/0',
  '::ffff:10.0.0.0/104',
  '',
];

const OCTETS = ['0', '1', '9', '10', '99', '100', '127', '128', '192', '254', '255', '256', '999', '00', '01', '010', '', 'a', '1e1', ' 1'];
const PREFIXES = ['0', '1', '8', '15', '16', '24', '28', '30', '31', '32', '33', '', '00', '01', '032', '-1', '1a', '100'];

/** A random CIDR-like text: mostly well formed, often not. */
function randomText(random: () => number): string {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  if (random() < 0.5) {
    // A valid-looking block: a random address, a random prefix, host bits cleared most of the time.
    const prefix = Math.floor(random() * 33);
    let value = Math.floor(random() * 2 ** 32);
    if (random() < 0.8) value -= value % 2 ** (32 - prefix);
    return `${formatIPv4Number(value)}/${prefix}`;
  }
  const parts = Array.from({ length: random() < 0.9 ? 4 : 3 + Math.floor(random() * 3) }, () => pick(OCTETS));
  return `${parts.join('.')}${random() < 0.95 ? '/' : ''}${pick(PREFIXES)}`;
}

describe('IPv4 in plain numbers', () => {
  it.each(EDGES)('parseIPv4Cidr(%j) agrees with safeParseCidr', (text) => {
    expect(numbers(text)).toEqual(reference(text));
  });

  it('parseIPv4Cidr agrees with safeParseCidr on 20,000 seeded random texts', () => {
    const random = seededRandom(12);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = randomText(random);
      const expected = reference(text);
      expect(numbers(text), text).toEqual(expected);
      if (expected) {
        accepted++;
        // Bounds stay exact and inside the address space.
        expect(expected.first % 2 ** (32 - expected.prefix), text).toBe(0);
        expect(expected.last, text).toBeLessThanOrEqual(0xffffffff);
      }
    }
    // Both kinds of text were tried.
    expect(accepted).toBeGreaterThan(5_000);
    expect(accepted).toBeLessThan(19_000);
  });

  it('a strict IPv4 text is its own canonical form, and formatting is exact at the edges', () => {
    const random = seededRandom(5);
    const values = [0, 1, 255, 256, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
    for (let i = 0; i < 10_000; i++) values.push(Math.floor(random() * 2 ** 32));
    for (const value of values) {
      const text = formatIPv4Number(value);
      expect(parseIPv4Number(text), text).toBe(value);
      expect(safeParseIp(text), text).toEqual({ version: 4, value: BigInt(value) });
    }
    expect(formatIPv4Number(0)).toBe('0.0.0.0');
    expect(formatIPv4Number(0xffffffff)).toBe('255.255.255.255');
  });

  it.each(PROVIDER_IDS)('reservedIPv4Offsets gives %s the addresses profile.reserved gives, for every prefix and random blocks', (provider) => {
    const profile = providerProfile(provider);
    const random = seededRandom(31);
    for (let prefix = 0; prefix <= 32; prefix++) {
      const size = 2 ** (32 - prefix);
      const firsts = [0, 2 ** 32 - size];
      for (let i = 0; i < 20; i++) firsts.push(Math.floor(random() * 2 ** prefix) * size);
      for (const first of firsts) {
        const block = { version: 4 as const, prefix, first: BigInt(first), last: BigInt(first + size - 1) };
        const expected = profile.reserved(block).map((r) => Number(r.value));
        expect(reservedIPv4Offsets(profile, prefix).map((offset) => first + offset), `${provider} ${formatIPv4Number(first)}/${prefix}`).toEqual(expected);
      }
    }
  });
});
