/**
 * Target tracking for auto-scaling groups, as pure functions: the lab samples the group's
 * metric a few times a second and asks `scalingDecision` whether to change capacity.
 */

/** The tracked metric of a group, summed over its instances. */
export type ScalingMetric = 'in-flight' | 'rps';

/** A group's target-tracking policy, with its size bounds. */
export interface ScalingPolicy {
  metric: ScalingMetric;
  /** Target value per instance. */
  target: number;
  cooldownMs: number;
  min: number;
  max: number;
  /** Samples a scale-in needs (a full window); scale-out acts on fewer, to add capacity fast. */
  window: number;
}

/** What the decision looks at: current size, the sample window and the last change. */
export interface ScalingState {
  /** Instances running or launching (launching ones count, so a slow start does not overshoot). */
  current: number;
  /** Recent samples of the group total, oldest first (a short window smooths bursts). */
  samples: readonly number[];
  /** When the last capacity change finished (ms, same clock as `now`), or undefined. */
  lastScaleAt?: number;
  now: number;
}

/** A capacity change to make. */
export interface ScalingDecision {
  desired: number;
  direction: 'out' | 'in';
  /** One sentence for the log: the metric, its target and the resulting capacity. */
  reason: string;
}

/** Instances needed to bring the per-instance metric to the target: ceil(total / target), clamped. */
export function capacityFor(total: number, policy: Pick<ScalingPolicy, 'target' | 'min' | 'max'>): number {
  const needed = total <= 0 ? 0 : Math.ceil(total / policy.target - 1e-9);
  return Math.min(policy.max, Math.max(policy.min, needed));
}

/**
 * Whether to scale now. Scale-out goes straight to the capacity the mean of the samples
 * needs; scale-in removes one instance at a time, and only once a full window of samples
 * has been seen and even its highest sample needs fewer instances (a single sample can
 * catch every request between its response and the next request, and removing capacity
 * that is still needed makes the group oscillate). Both wait for the cool-down after the
 * previous change. Returns undefined when nothing should change.
 */
export function scalingDecision(policy: ScalingPolicy, state: ScalingState): ScalingDecision | undefined {
  if (state.samples.length === 0) return undefined;
  if (state.lastScaleAt !== undefined && state.now - state.lastScaleAt < policy.cooldownMs) return undefined;
  const mean = state.samples.reduce((a, b) => a + b, 0) / state.samples.length;
  const needed = capacityFor(mean, policy);
  const neededAtPeak = capacityFor(Math.max(...state.samples), policy);
  const perInstance = state.current > 0 ? mean / state.current : mean;
  const describe = (desired: number): string =>
    `${policy.metric} ${round(perInstance)} per instance (target ${policy.target}) over ${state.current} instance${state.current === 1 ? '' : 's'}: ${state.current} -> ${desired}`;
  if (needed > state.current) return { desired: needed, direction: 'out', reason: describe(needed) };
  // Below min can happen when min was raised: restore it like a scale-out.
  if (state.current < policy.min) return { desired: policy.min, direction: 'out', reason: describe(policy.min) };
  if (neededAtPeak < state.current && state.current > policy.min && state.samples.length >= policy.window) {
    const desired = state.current - 1;
    return { desired, direction: 'in', reason: describe(desired) };
  }
  return undefined;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
