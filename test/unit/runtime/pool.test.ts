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

describe('target pool routing', () => {
  /** A gate whose blocked targets the test changes, as the lab's gate changes when a route is dropped. */
  function gate(blocked: Set<string>) {
    return (_from: string, to: string) => (blocked.has(to) ? { allowed: false as const, blockedBy: 'rt-b', reason: `no route back to ${to}`, code: 'peering-no-return-route' as const } : { allowed: true as const });
  }
  const health = (events: ServiceEvent[]) => events.flatMap((ev) => (ev.type === 'health' ? [`${ev.target}:${ev.healthy ? 'up' : 'down'}:${ev.source}`] : []));

  it.each([
    { name: 'one of four blocked', blocked: ['b'], picked: ['a', 'c', 'd'], routingBlock: undefined },
    { name: 'all but one blocked', blocked: ['a', 'b', 'c'], picked: ['d'], routingBlock: undefined },
    { name: 'every target blocked', blocked: ['a', 'b', 'c', 'd'], picked: [], routingBlock: 'a' },
    { name: 'near miss: nothing blocked', blocked: [], picked: ['a', 'b', 'c', 'd'], routingBlock: undefined },
  ])('never picks a blocked target: $name', ({ blocked, picked, routingBlock }) => {
    const events: ServiceEvent[] = [];
    const pool = new TargetPool('lb', 'round-robin', undefined, (ev) => events.push(ev), { gate: gate(new Set(blocked)) });
    pool.setTargets(targets);
    const seen = new Set(Array.from({ length: 12 }, () => pool.pick(0)?.nodeId).filter((id) => id !== undefined));
    expect([...seen].sort()).toEqual(picked);
    expect(pool.blockedByRouting()?.nodeId).toBe(routingBlock);
    expect(health(events)).toEqual(blocked.map((id) => `${id}:down:routing`));
    for (const id of blocked) expect(pool.metrics()[id]).toMatchObject({ healthy: false, reason: `blocked by rt-b: no route back to ${id}`, chosen: 0 });
  });

  it('re-asks the gate when the list is set again: a restored route brings the target back, once', () => {
    const events: ServiceEvent[] = [];
    const blocked = new Set(['b']);
    const pool = new TargetPool('lb', 'round-robin', undefined, (ev) => events.push(ev), { gate: gate(blocked) });
    pool.setTargets(targets.slice(0, 2));
    pool.setTargets(targets.slice(0, 2)); // same verdict: no new event
    expect(health(events)).toEqual(['b:down:routing']);
    blocked.clear();
    pool.setTargets(targets.slice(0, 2));
    expect(health(events)).toEqual(['b:down:routing', 'b:up:routing']);
    expect(new Set(Array.from({ length: 4 }, () => pool.pick(0)?.nodeId))).toEqual(new Set(['a', 'b']));
  });

  it('keeps a blocked target out whatever its health checks say, and stays quiet about them meanwhile', () => {
    const events: ServiceEvent[] = [];
    const pool = new TargetPool('lb', 'round-robin', undefined, (ev) => events.push(ev), { gate: gate(new Set(['a'])) });
    pool.setTargets(targets.slice(0, 2), false);
    pool.setHealthy('a', true, 'passed 2 checks');
    pool.setHealthy('b', true, 'passed 2 checks');
    expect(health(events)).toEqual(['a:down:routing', 'b:up:active']);
    expect(new Set(Array.from({ length: 4 }, () => pool.pick(0)?.nodeId))).toEqual(new Set(['b']));
    // A weight-0 target is out of rotation: the one left in rotation is blocked.
    pool.setWeight('b', 0);
    expect(pool.blockedByRouting()?.nodeId).toBe('a');
  });
});
