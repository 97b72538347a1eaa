/**
 * The nearest-rank percentile of ascending `sorted` values: the smallest value with at
 * least `q` (0..1) of the values at or below it; 0 for no values. Exact, for small sample
 * sets (scenario assertions, benchmarks); the services' hot path uses `LatencyHistogram`.
 */
export function nearestRankPercentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
