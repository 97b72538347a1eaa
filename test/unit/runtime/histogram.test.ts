import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../core/runtime/metrics/histogram.js';
import { ServiceStats } from '../../../core/runtime/metrics/stats.js';

describe('latency histogram', () => {
  it('gives percentiles within the bucket precision and the exact max', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i += 1) h.record(i / 10); // 0.1 .. 100 ms
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.max).toBe(100);
    expect(s.mean).toBeCloseTo(50.05, 2);
    expect(s.p50).toBeGreaterThan(50 * 0.99);
    expect(s.p50).toBeLessThan(50 * 1.05);
    expect(s.p99).toBeGreaterThan(99 * 0.99);
    expect(s.p99).toBeLessThanOrEqual(100);
  });

  it('is all zeros when empty and treats bad values as 0', () => {
    const h = new LatencyHistogram();
    expect(h.summary()).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
    h.record(Number.NaN);
    h.record(-5);
    expect(h.summary().max).toBe(0);
    h.reset();
    expect(h.summary().count).toBe(0);
  });

  it('service stats count statuses and build a snapshot', () => {
    const stats = new ServiceStats();
    stats.finish(200, 1);
    stats.finish(200, 2);
    stats.finish(503, 3);
    stats.finish(999, 1);
    const m = stats.snapshot('lb', 'l7-balancer', true, { activeConnections: 4 });
    expect(m).toMatchObject({ nodeId: 'lb', kind: 'l7-balancer', listening: true, requests: 4, statusCodes: { '200': 2, '503': 1 }, activeConnections: 4 });
  });
});
