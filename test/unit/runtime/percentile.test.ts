import { describe, expect, it } from 'vitest';
import { nearestRankPercentile } from '../../../core/runtime/metrics/percentile.js';

describe('nearestRankPercentile', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [0, 1],
    [0.1, 1],
    [0.11, 2],
    [0.5, 5],
    [0.95, 10],
    [1, 10],
  ])('q=%d of 1..10 is %d', (q, expected) => {
    expect(nearestRankPercentile(values, q)).toBe(expected);
  });

  it('is 0 for no values and the value itself for one', () => {
    expect(nearestRankPercentile([], 0.5)).toBe(0);
    expect(nearestRankPercentile([7], 0.99)).toBe(7);
  });
});
