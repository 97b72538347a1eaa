import { LatencyHistogram } from '../../runtime/metrics/histogram.js';
import type { LoadProgress } from '../../runtime/load/types.js';
import { LATENCY_BUCKET_BOUNDS_MS, type LabProgressEvent } from '../contract/lab-results.js';

/** One finished request, as the runtime reports it per request. */
export interface FinishedRequest {
  status: number | 'error';
  servedBy?: string;
  latencyMs: number;
}

/** Index of the histogram bucket a latency (ms) falls in. */
export function latencyBucketOf(ms: number): number {
  const index = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return index === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : index;
}

/**
 * Turns one load run's per-request outcomes and the generator's periodic progress into
 * `lab.progress` events: cumulative status and server counts, the latency of the window
 * since the previous event (so charts can draw p50/p99 over time) and a coarse histogram.
 */
export class RunProgress {
  private readonly window = new LatencyHistogram();
  private readonly buckets = new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0);
  private readonly status: Record<string, number> = {};
  private readonly byServer: Record<string, number> = {};
  private perRequest = false;

  constructor(
    readonly runId: string,
    private readonly planned: LabProgressEvent['planned'],
  ) {}

  /** Counts one finished request. */
  record(request: FinishedRequest): void {
    this.perRequest = true;
    this.window.record(request.latencyMs);
    const bucket = latencyBucketOf(request.latencyMs);
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
    const code = String(request.status);
    this.status[code] = (this.status[code] ?? 0) + 1;
    if (request.servedBy) this.byServer[request.servedBy] = (this.byServer[request.servedBy] ?? 0) + 1;
  }

  /** The event for one progress report; starts a new latency window. */
  event(progress: LoadProgress, done = false): LabProgressEvent {
    const summary = this.window.summary();
    this.window.reset();
    return {
      runId: this.runId,
      completed: progress.completed,
      elapsedMs: progress.elapsedMs,
      rps: progress.rps,
      errors: progress.errors,
      planned: this.planned,
      status: { ...this.status },
      byServer: { ...this.byServer },
      ...(this.perRequest ? { window: { requests: summary.count, p50: summary.p50, p99: summary.p99 }, histogram: this.buckets.slice() } : {}),
      done,
    };
  }
}
