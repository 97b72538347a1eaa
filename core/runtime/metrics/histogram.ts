import type { LatencySummary } from '../services/types.js';

/** Buckets per power of two: about 4.4 % relative precision, enough for p50/p90/p99. */
const SUB_BUCKETS = 16;
/** Microsecond values up to 2^34 us (about 4.7 hours) have their own bucket. */
const BUCKETS = 35 * SUB_BUCKETS;

/**
 * A fixed-size log-linear latency histogram. Recording is O(1) with no allocation, so it
 * can sit on every request's hot path; percentiles are computed only when asked.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;
  private sum = 0;
  private maxMs = 0;

  /** Records one latency in milliseconds (negative or NaN values count as 0). */
  record(ms: number): void {
    const value = ms > 0 ? ms : 0;
    const us = value * 1000;
    const index = us < 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(us) * SUB_BUCKETS));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total += 1;
    this.sum += value;
    if (value > this.maxMs) this.maxMs = value;
  }

  /** The latency (ms) below which `q` (0..1) of the samples fall: the bucket's upper bound, capped by the maximum. */
  percentile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(this.maxMs, 2 ** ((i + 1) / SUB_BUCKETS) / 1000);
    }
    return this.maxMs;
  }

  /** Count, mean, p50/p90/p99 and max, rounded to microseconds. */
  summary(): LatencySummary {
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    return {
      count: this.total,
      mean: this.total === 0 ? 0 : round(this.sum / this.total),
      p50: round(this.percentile(0.5)),
      p90: round(this.percentile(0.9)),
      p99: round(this.percentile(0.99)),
      max: round(this.maxMs),
    };
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
    this.maxMs = 0;
  }
}
