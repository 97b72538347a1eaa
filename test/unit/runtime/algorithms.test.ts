import { describe, expect, it } from 'vitest';
import {
  fnv1a,
  pickLeastConnections,
  pickRandomTwo,
  pickRoundRobin,
  pickSmoothWeighted,
  pickSourceHash,
  type Candidate,
} from '../../../core/runtime/balancing/algorithms.js';

const make = (ids: string[], weights: number[] = [], active: number[] = []): Candidate[] =>
  ids.map((nodeId, i) => ({ nodeId, weight: weights[i] ?? 1, active: active[i] ?? 0, idHash: fnv1a(nodeId), currentWeight: 0 }));

describe('balancing algorithms', () => {
  it('round robin rotates and handles an empty pool', () => {
    const state = { next: 0 };
    const c = make(['a', 'b', 'c']);
    expect(Array.from({ length: 6 }, () => pickRoundRobin(c, state)?.nodeId)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(pickRoundRobin([], state)).toBeUndefined();
  });

  it('smooth weighted round robin interleaves like nginx (5,1,1 -> a a b a c a a)', () => {
    const c = make(['a', 'b', 'c'], [5, 1, 1]);
    expect(Array.from({ length: 7 }, () => pickSmoothWeighted(c)?.nodeId).join(' ')).toBe('a a b a c a a');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 700; i += 1) {
      const id = pickSmoothWeighted(c)?.nodeId ?? '';
      counts[id] = (counts[id] ?? 0) + 1;
    }
    expect(counts).toEqual({ a: 500, b: 100, c: 100 });
  });

  it('least connections picks the lowest load per weight and rotates ties', () => {
    const state = { next: 0 };
    expect(pickLeastConnections(make(['a', 'b', 'c'], [], [5, 1, 3]), state)?.nodeId).toBe('b');
    expect(pickLeastConnections(make(['a', 'b'], [4, 1], [4, 2]), state)?.nodeId).toBe('a');
    const idle = make(['a', 'b', 'c']);
    const picks = new Set(Array.from({ length: 3 }, () => pickLeastConnections(idle, state)?.nodeId));
    expect(picks.size).toBe(3);
  });

  it('source hash is stable and only moves keys of a removed target', () => {
    const all = make(['a', 'b', 'c', 'd']);
    const keys = Array.from({ length: 400 }, (_, i) => fnv1a(`10.0.${i >> 8}.${i & 255}`));
    const before = keys.map((k) => pickSourceHash(all, k)?.nodeId);
    expect(keys.map((k) => pickSourceHash(all, k)?.nodeId)).toEqual(before);
    const counts = new Map<string, number>();
    for (const id of before) counts.set(id ?? '', (counts.get(id ?? '') ?? 0) + 1);
    for (const n of counts.values()) expect(n).toBeGreaterThan(60); // roughly even: 100 each
    const without = all.filter((c) => c.nodeId !== 'c');
    keys.forEach((k, i) => {
      const now = pickSourceHash(without, k)?.nodeId;
      if (before[i] !== 'c') expect(now).toBe(before[i]);
    });
  });

  it('random two choices keeps the less loaded of two distinct samples', () => {
    const c = make(['a', 'b'], [], [10, 0]);
    const seq = [0.1, 0.9, 0.9, 0.1];
    let i = 0;
    const random = (): number => seq[i++ % seq.length] as number;
    expect(pickRandomTwo(c, random)?.nodeId).toBe('b');
    expect(pickRandomTwo(c, random)?.nodeId).toBe('b');
    expect(pickRandomTwo(make(['only']), Math.random)?.nodeId).toBe('only');
  });
});
