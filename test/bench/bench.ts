import { nearestRankPercentile } from '../../core/runtime/metrics/percentile.js';

/** One measured figure of a benchmark, printed as a row of the figures table. */
export interface BenchFigure {
  /** The case measured, e.g. "100,000 subnets". */
  case: string;
  /** What was measured, e.g. "validateTopology". */
  measure: string;
  value: number;
  unit: string;
  /** How far the runs behind `value` spread, in words (e.g. "1.21-1.38x", the middle half). */
  spread?: string;
  /** A target the figure must meet, in words (e.g. "<= 3"); `ok` says whether it did. */
  target?: string;
  ok?: boolean;
}

/** A benchmark module: `test/bench/*.bench.ts` exports one as `bench`. */
export interface BenchModule {
  name: string;
  run(): Promise<BenchFigure[]>;
}

/** Median wall time in ms of `runs` calls of `fn` (after one warm-up call). */
export function medianMs(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The median of unsorted values (nearest rank; NaN for none). */
export function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : nearestRankPercentile([...values].sort((a, b) => a - b), 0.5);
}

/**
 * Median wall times in ms of several functions measured in alternation (a, b, a, b, ...),
 * so that load from other processes on a shared machine hits each of them alike and
 * their ratio stays meaningful. One warm-up call of each first.
 */
export function interleavedMedians(runs: number, fns: Record<string, () => unknown>): Record<string, number> {
  const names = Object.keys(fns);
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  for (const name of names) fns[name]!();
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const start = performance.now();
      fns[name]!();
      times.get(name)!.push(performance.now() - start);
    }
  }
  const out: Record<string, number> = {};
  for (const [name, list] of times) out[name] = median(list);
  return out;
}
