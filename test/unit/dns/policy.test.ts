import { describe, expect, it } from 'vitest';
import { MULTIVALUE_LIMIT, selectValues, type ZoneRecordSet } from '../../../core/runtime/dns/index.js';

const record = (policy: ZoneRecordSet['policy'], count: number, extra: Partial<ZoneRecordSet> = {}, weights: number[] = []): ZoneRecordSet => ({
  name: 'x.example',
  type: 'A',
  ttl: 60,
  policy,
  values: Array.from({ length: count }, (_, i) => ({ data: `10.0.0.${i + 1}`, ...(weights[i] !== undefined ? { weight: weights[i] } : {}), region: i === 1 ? 'eu-west-1' : 'us-east-1' })),
  ...extra,
});
const all = (): boolean => true;
const ctx = (healthy: (i: number) => boolean = all, rotation = 0, random = () => 0.5, clientRegion?: string) => ({ healthy, rotation, random, ...(clientRegion ? { clientRegion } : {}) });

describe('selectValues (Route 53 routing policies)', () => {
  it('simple: every value, rotated one step per query, health ignored', () => {
    expect(selectValues(record('simple', 3), ctx(() => false, 0))).toEqual([0, 1, 2]);
    expect(selectValues(record('simple', 3), ctx(all, 1))).toEqual([1, 2, 0]);
    expect(selectValues(record('simple', 3), ctx(all, 5))).toEqual([2, 0, 1]);
  });

  it('weighted: one value by weight; zero weights only when every non-zero one is unhealthy; all unhealthy fails open', () => {
    const r = record('weighted', 3, {}, [1, 3, 0]);
    expect(selectValues(r, ctx(all, 0, () => 0.2))).toEqual([0]); // 0.2 * 4 = 0.8 < 1
    expect(selectValues(r, ctx(all, 0, () => 0.3))).toEqual([1]);
    expect(selectValues(r, ctx(all, 0, () => 0.999))).toEqual([1]);
    expect(selectValues(r, ctx((i) => i === 2, 0, () => 0.9))).toEqual([2]);
    expect(selectValues(r, ctx(() => false, 0, () => 0.1))).toEqual([0]);
    expect(selectValues(record('weighted', 2, {}, [0, 0]), ctx(all, 0, () => 0.7))).toEqual([1]); // all zero: equal chances
  });

  it('failover: the primary while healthy, else the secondary, the primary when both are down', () => {
    expect(selectValues(record('failover', 2), ctx())).toEqual([0]);
    expect(selectValues(record('failover', 2), ctx((i) => i !== 0))).toEqual([1]);
    expect(selectValues(record('failover', 2), ctx(() => false))).toEqual([0]);
  });

  it('multivalue: healthy values only, at most eight, every value when none is healthy', () => {
    expect(selectValues(record('multivalue', 3), ctx((i) => i !== 1))).toEqual([0, 2]);
    expect(selectValues(record('multivalue', 3), ctx(() => false))).toEqual([0, 1, 2]);
    const many = selectValues(record('multivalue', 12), ctx(all, 0, Math.random));
    expect(many).toHaveLength(MULTIVALUE_LIMIT);
    expect(new Set(many).size).toBe(MULTIVALUE_LIMIT);
  });

  it("latency: the value in the client's region, else the first healthy one", () => {
    expect(selectValues(record('latency', 2), ctx(all, 0, Math.random, 'eu-west-1'))).toEqual([1]);
    expect(selectValues(record('latency', 2), ctx(all, 0, Math.random, 'ap-south-1'))).toEqual([0]);
    expect(selectValues(record('latency', 2), ctx((i) => i !== 1, 0, Math.random, 'eu-west-1'))).toEqual([0]);
  });
});
