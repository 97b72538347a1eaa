import { describe, expect, it } from 'vitest';
import { formatCidr, safeParseCidr } from '../../../core/cidr/index.js';
import { blockOfSpan, parseIPv4Span, parseSpan } from '../../../core/validate/span.js';

/** The fast IPv4 path must accept exactly what the strict parser accepts, with the same value. */
describe('parseIPv4Span agrees with safeParseCidr', () => {
  const texts = [
    '10.0.0.0/16', '0.0.0.0/0', '255.255.255.255/32', '192.168.1.128/25', '10.0.1.5/24', '010.0.0.0/8', '10.0.0.256/24',
    '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/', '10.0.0/16', '10.0.0.0.0/8', ' 10.0.0.0/8', '10.0.0.0/8 ', '10..0.0/8',
    '1.2.3.4/32', '1.2.3.4/31', '0.0.0.0/32', '10.0.0.0', '/8', '', '::/0', 'a.b.c.d/8', '10.0.0.0/-1', '10.0.0.0/1a',
  ];
  it.each(texts)('%j', (text) => {
    const strict = safeParseCidr(text);
    const fast = parseIPv4Span(text);
    if (strict.ok && strict.block.version === 4) expect(fast && formatCidr(blockOfSpan(fast))).toBe(formatCidr(strict.block));
    else expect(fast).toBeUndefined();
  });

  it('on 3,000 random near-CIDR texts', () => {
    // A fixed-seed generator keeps the case list reproducible.
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const piece = (): string => [String(random(300)), `0${random(9)}`, '', String(random(256))][random(4)]!;
    for (let i = 0; i < 3000; i++) {
      const text = `${piece()}.${piece()}.${piece()}.${piece()}/${[String(random(40)), `0${random(5)}`, ''][random(3)]}`;
      const strict = safeParseCidr(text);
      const fast = parseIPv4Span(text);
      expect(fast === undefined ? undefined : formatCidr(blockOfSpan(fast)), text).toBe(strict.ok ? formatCidr(strict.block) : undefined);
    }
  });

  it('parseSpan falls back to the strict parser for IPv6 and for explanations', () => {
    expect(parseSpan('fd00::/8')).toMatchObject({ ok: true, span: { version: 6, prefix: 8 } });
    expect(parseSpan('10.0.1.5/24')).toMatchObject({ ok: false, problem: { code: 'cidr-host-bits', fix: '10.0.1.0/24' } });
  });
});
