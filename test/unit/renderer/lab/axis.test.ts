import { describe, expect, it } from 'vitest';
import { progressStepMs } from '../../../../core/runtime/load/progress-step.js';
import { axisNumber } from '../../../../renderer/lab/report.js';

// Issue 16, charts: y-axis labels read ".000", and a short run plotted one point.
describe('chart axes and steps', () => {
  it('labels an axis with readable numbers, never fixed decimals', () => {
    expect([0, 0.25, 0.005, 1, 7.5, 42, 999, 1200, 35_000, 2_500_000, -3].map(axisNumber)).toEqual(['0', '0.25', '0.005', '1', '7.5', '42', '999', '1.2k', '35k', '2.5M', '-3']);
    expect(axisNumber(Number.NaN)).toBe('');
  });

  it('reports progress every 50 ms for the first two seconds, then every 250 ms; a fixed interval wins', () => {
    expect(progressStepMs(0)).toBe(50);
    expect(progressStepMs(1999)).toBe(50);
    expect(progressStepMs(2000)).toBe(250);
    expect(progressStepMs(0, 100)).toBe(100);
  });
});
