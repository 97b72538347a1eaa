import { afterEach, describe, expect, it, vi } from 'vitest';
import { TargetPool } from '../../../core/runtime/balancing/pool.js';
import type { ServiceEvent } from '../../../core/runtime/services/types.js';

const e = { host: '127.0.0.1', port: 1 };
const targets = ['a', 'b', 'c', 'd'].map((nodeId) => ({ nodeId, endpoint: e }));

describe('target pool', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ejects after consecutive failures, within the share cap, and re-admits after the ejection time', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const events: ServiceEvent[] = [];
    const pool = new TargetPool('lb', 'round-robin', { consecutiveFailures: 2, ejectMs: 30, maxEjectedShare: 0.5 }, (ev) => events.push(ev));
    pool.setTargets(targets);
    for (const id of ['a', 'b', 'c']) {
      const s = pool.get(id);
      if (s === undefined) throw new Error(id);
      pool.reportFailure(s, 'refused');
      pool.reportFailure(s, 'refused');
    }
    expect(events.filter((ev) => ev.type === 'health').map((ev) => (ev.type === 'health' ? ev.target : ''))).toEqual(['a', 'b']);
    const picked = new Set(Array.from({ length: 8 }, () => pool.pick(0)?.nodeId));
    expect([...picked].sort()).toEqual(['c', 'd']);
    vi.setSystemTime(Date.now() + 40); // past the 30 ms ejection
    expect(new Set(Array.from({ length: 8 }, () => pool.pick(0)?.nodeId)).size).toBe(4);
    // One more failure after re-admission ejects again straight away.
    const a = pool.get('a');
    if (a !== undefined) pool.reportFailure(a, 'refused');
    expect(pool.metrics()['a']?.healthy).toBe(false);
  });

  it('keeps state of targets that stay, and new targets start unhealthy when checks must pass first', () => {
    const pool = new TargetPool('lb', 'round-robin', undefined, () => undefined);
    pool.setTargets(targets.slice(0, 2));
    pool.pick(0);
    pool.setTargets(targets.slice(0, 3), false);
    expect(pool.metrics()['a']?.chosen).toBe(1);
    expect(pool.metrics()['c']?.healthy).toBe(false);
    expect(pool.setHealthy('c', true, 'passed')).toBe(true);
    expect(pool.setHealthy('c', true, 'passed')).toBe(false);
    pool.setWeight('a', 0);
    expect(new Set(Array.from({ length: 6 }, () => pool.pick(0)?.nodeId))).toEqual(new Set(['b', 'c']));
    pool.setTargets([]);
    expect(pool.pick(0)).toBeUndefined();
  });
});
