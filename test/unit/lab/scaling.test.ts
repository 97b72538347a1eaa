import { describe, expect, it } from 'vitest';
import { capacityFor, scalingDecision, type ScalingPolicy } from '../../../core/runtime/lab/scaling.js';

const policy: ScalingPolicy = { metric: 'in-flight', target: 2, cooldownMs: 1000, min: 1, max: 4, window: 4 };

describe('capacityFor', () => {
  it.each([
    [0, 1],
    [1, 1],
    [2, 1],
    [2.1, 2],
    [4, 2],
    [7, 4],
    [100, 4],
  ])('total %d needs %d instances (target 2, 1..4)', (total, expected) => {
    expect(capacityFor(total, policy)).toBe(expected);
  });
});

describe('scalingDecision', () => {
  it('scales out straight to the needed capacity', () => {
    expect(scalingDecision(policy, { current: 1, samples: [6, 6], now: 10_000 })).toEqual({
      desired: 3,
      direction: 'out',
      reason: 'in-flight 6 per instance (target 2) over 1 instance: 1 -> 3',
    });
  });

  it('waits for the cool-down after the last change', () => {
    expect(scalingDecision(policy, { current: 1, samples: [6], now: 10_500, lastScaleAt: 10_000 })).toBeUndefined();
    expect(scalingDecision(policy, { current: 1, samples: [6], now: 11_000, lastScaleAt: 10_000 })?.desired).toBe(3);
  });

  it('scales in one instance at a time and never below min', () => {
    expect(scalingDecision(policy, { current: 4, samples: [0, 0, 0, 0], now: 5000 })).toMatchObject({ desired: 3, direction: 'in' });
    expect(scalingDecision(policy, { current: 1, samples: [0, 0, 0, 0], now: 5000 })).toBeUndefined();
  });

  it('scales in only on a full window, but out on any sample', () => {
    expect(scalingDecision(policy, { current: 4, samples: [0, 0, 0], now: 5000 })).toBeUndefined();
    expect(scalingDecision(policy, { current: 1, samples: [6], now: 5000 })?.desired).toBe(3);
  });

  it('scales in only when every sample of the window needs fewer instances', () => {
    // The mean (1.5) needs 1 instance, but one sample still needs 3: a pause, not less load.
    expect(scalingDecision(policy, { current: 3, samples: [0, 0, 0, 6], now: 5000 })).toBeUndefined();
    expect(scalingDecision(policy, { current: 3, samples: [4, 3, 0, 1], now: 5000 })).toMatchObject({ desired: 2, direction: 'in' });
    // Scale-out still follows the mean of the window.
    expect(scalingDecision(policy, { current: 1, samples: [0, 0, 0, 12], now: 5000 })).toMatchObject({ desired: 2, direction: 'out' });
  });

  it('keeps capacity when the metric is on target, smoothing over the window', () => {
    expect(scalingDecision(policy, { current: 2, samples: [8, 4, 2, 2], now: 5000 })).toBeUndefined();
    expect(scalingDecision(policy, { current: 2, samples: [], now: 5000 })).toBeUndefined();
  });
});
