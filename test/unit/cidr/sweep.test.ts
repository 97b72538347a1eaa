import { describe, expect, it } from 'vitest';
import { findEarlierOverlaps, type Interval } from '../../../core/cidr/sweep.js';
import { seededRandom } from '../../support/random.js';

/** Intervals from [first, last] pairs, keyed by their input position. */
const of = (pairs: [number, number][]): Interval<number>[] => pairs.map(([first, last], key) => ({ first, last, key }));

/** What the sweep found, as "later: earlier,earlier (total)". */
function found(pairs: [number, number][], limit = 100): string[] {
  return findEarlierOverlaps(of(pairs), limit).map((e) => `${e.interval.key}: ${e.earlier.map((x) => x.key).join(',')}${e.total > e.earlier.length ? ` (+${e.total - e.earlier.length})` : ''}`);
}

/** The obvious O(n²) answer: for each interval, every earlier one sharing an address. */
function naive(intervals: readonly Interval<number | bigint>[], limit: number): string[] {
  const out: string[] = [];
  intervals.forEach((b, j) => {
    const earlier = intervals.slice(0, j).filter((a) => a.first <= b.last && b.first <= a.last);
    if (earlier.length === 0) return;
    const named = earlier.slice(0, limit);
    out.push(`${j}: ${named.map((a) => intervals.indexOf(a)).join(',')}${earlier.length > named.length ? ` (+${earlier.length - named.length})` : ''}`);
  });
  return out;
}

describe('findEarlierOverlaps', () => {
  const cases: [string, [number, number][], string[]][] = [
    ['nothing overlaps', [[0, 255], [256, 511], [1024, 1279]], []],
    ['a block inside an earlier one', [[0, 1023], [256, 511]], ['1: 0']],
    ['an earlier block inside a later one (the later is blamed)', [[256, 511], [0, 1023]], ['1: 0']],
    ['the same block twice', [[0, 255], [0, 255]], ['1: 0']],
    ['the same block three times: each copy against every earlier one', [[0, 255], [0, 255], [0, 255]], ['1: 0', '2: 0,1']],
    // The old sweep paired C only with the block reaching furthest (A) and missed B.
    ['a chain /16 > /24 > /25: the innermost overlaps both', [[0, 65535], [256, 511], [256, 383]], ['1: 0', '2: 0,1']],
    ['blocks inside a later one, some of them nested', [[0, 127], [0, 63], [512, 767], [0, 1023]], ['1: 0', '3: 0,1,2']],
    ['listed innermost first', [[256, 383], [256, 511], [0, 65535]], ['1: 0', '2: 0,1']],
    ['siblings inside one block do not overlap each other', [[0, 1023], [0, 255], [256, 511], [512, 767]], ['1: 0', '2: 0', '3: 0']],
    ['a disjoint block between nested ones', [[0, 255], [1024, 2047], [1024, 1151], [0, 127]], ['2: 1', '3: 0']],
  ];
  it.each(cases)('%s', (_name, pairs, expected) => {
    expect(found(pairs)).toEqual(expected);
    expect(naive(of(pairs), 100)).toEqual(expected);
  });

  it('names the first `limit` earlier overlaps in input order and counts the rest', () => {
    const pairs: [number, number][] = [[0, 15], [16, 31], [32, 47], [48, 63], [0, 255]];
    expect(found(pairs, 2)).toEqual(['4: 0,1 (+2)']);
    expect(findEarlierOverlaps(of(pairs), 2)[0]!.total).toBe(4);
  });

  it('stays near linear for thousands of copies of one block (each named against the first few)', () => {
    const pairs = Array.from({ length: 20_000 }, (): [number, number] => [0, 255]);
    const result = findEarlierOverlaps(of(pairs), 3);
    expect(result).toHaveLength(19_999);
    expect(result[19_998]).toMatchObject({ total: 19_999, earlier: [{ key: 0 }, { key: 1 }, { key: 2 }] });
  });

  it('works on bigints (IPv6)', () => {
    const big: Interval<string>[] = [
      { first: 0n, last: (1n << 64n) - 1n, key: 'a' },
      { first: 1n << 32n, last: (1n << 33n) - 1n, key: 'b' },
    ];
    expect(findEarlierOverlaps(big, 5).map((e) => [e.interval.key, e.earlier.map((x) => x.key)])).toEqual([['b', ['a']]]);
  });

  it('refuses intervals that overlap partly (CIDR blocks never do)', () => {
    expect(() => findEarlierOverlaps(of([[0, 10], [5, 20]]), 5)).toThrow(/overlap partly/);
  });

  it('agrees with the O(n²) answer on 300 seeded random sets of CIDR-like blocks, with duplicates', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed);
      const count = 1 + Math.floor(random() * 60);
      const intervals: Interval<number>[] = [];
      for (let i = 0; i < count; i++) {
        if (i > 0 && random() < 0.1) {
          // A copy of an earlier block.
          const copy = intervals[Math.floor(random() * i)]!;
          intervals.push({ first: copy.first, last: copy.last, key: i });
          continue;
        }
        // An aligned block of 2^size addresses inside 0..4095 (a /20 split into /20 to /32).
        const size = Math.floor(random() * 13);
        const first = Math.floor(random() * (4096 >> size)) << size;
        intervals.push({ first, last: first + (1 << size) - 1, key: i });
      }
      const limit = 1 + Math.floor(random() * 6);
      const got = findEarlierOverlaps(intervals, limit).map(
        (e) => `${e.interval.key}: ${e.earlier.map((x) => x.key).join(',')}${e.total > e.earlier.length ? ` (+${e.total - e.earlier.length})` : ''}`,
      );
      expect(got, `seed ${seed}`).toEqual(naive(intervals, limit));
    }
  }, 30_000);
});
