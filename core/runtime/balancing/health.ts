import http from 'node:http';
import net from 'node:net';
import type { HealthCheck } from '../../model/index.js';
import { HEALTH_CHECK_DEFAULTS } from '../../model/defaults.js';
import { isLabEndpoint } from '../http/lab-endpoint.js';
import type { Endpoint } from '../services/types.js';
import type { TargetPool } from './pool.js';

/** A health check with every default filled in. */
export interface HealthSettings {
  type: 'http' | 'tcp';
  path: string;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
  expectLow: number;
  expectHigh: number;
}

/** The status codes an `expectStatus` such as "200-399" or "404" counts as healthy (default 200-399). */
export function expectedStatusRange(expectStatus: string | undefined): { low: number; high: number } {
  const [low, high] = (expectStatus ?? HEALTH_CHECK_DEFAULTS.expectStatus).split('-').map(Number);
  return { low: low ?? 200, high: high ?? low ?? 399 };
}

/** Defaults: HTTP `/health` for L7 (TCP for L4), every second, 1 s timeout, rise 2, fall 2, 200-399. */
export function resolveHealthCheck(check: HealthCheck, defaultType: 'http' | 'tcp'): HealthSettings {
  const expected = expectedStatusRange(check.expectStatus);
  const intervalMs = check.intervalMs ?? HEALTH_CHECK_DEFAULTS.intervalMs;
  return {
    type: check.type ?? defaultType,
    path: check.path ?? HEALTH_CHECK_DEFAULTS.path,
    intervalMs,
    timeoutMs: Math.min(check.timeoutMs ?? HEALTH_CHECK_DEFAULTS.timeoutMs, intervalMs),
    rise: check.rise ?? HEALTH_CHECK_DEFAULTS.rise,
    fall: check.fall ?? HEALTH_CHECK_DEFAULTS.fall,
    expectLow: expected.low,
    expectHigh: expected.high,
  };
}

/** A timer this late means the lab itself was stalled (a loaded machine, a long GC). */
const STALL_MS = 20;

/**
 * Arms a probe's timeout so that it measures the target, not the lab. The lab's services
 * share its event loop, so a stall of the lab also stops an in-process target from answering
 * and keeps an answer that did arrive unread. Two rules keep a healthy target up:
 * - a timer that fires more than STALL_MS late gives the probe the stalled time back once,
 *   up to one more timeout, so the target gets its turn to answer;
 * - the verdict then waits for the rest of that turn of the event loop (`setImmediate` runs
 *   after the I/O poll), so an answer already at the socket is read first and wins.
 * A target that is really slow still times out, at most one timeout later than the setting.
 */
function armTimeout(timeoutMs: number, onTimeout: () => void): () => void {
  let timer: NodeJS.Timeout;
  let immediate: NodeJS.Immediate | undefined;
  const due = performance.now() + timeoutMs;
  const decide = (): void => {
    immediate = setImmediate(onTimeout);
  };
  timer = setTimeout(() => {
    const late = performance.now() - due;
    if (late > STALL_MS) timer = setTimeout(decide, Math.min(late, timeoutMs));
    else decide();
  }, timeoutMs);
  return () => {
    clearTimeout(timer);
    if (immediate !== undefined) clearImmediate(immediate);
  };
}

/** One probe: resolves a failure reason, or undefined when the target is healthy. */
export function probe(settings: HealthSettings, endpoint: Endpoint, signal?: AbortSignal): Promise<string | undefined> {
  if (!isLabEndpoint(endpoint)) return Promise.resolve(`${endpoint.host}:${endpoint.port} is not a lab endpoint; the lab never probes outside the design`);
  return settings.type === 'tcp' ? probeTcp(endpoint, settings.timeoutMs, signal) : probeHttp(settings, endpoint, signal);
}

function probeTcp(endpoint: Endpoint, timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port, ...(signal ? { signal } : {}) });
    const disarm = armTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(`tcp connect timed out after ${timeoutMs} ms`);
    });
    socket.once('connect', () => {
      disarm();
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      disarm();
      resolve(`tcp connect failed (${err.code ?? err.message})`);
    });
  });
}

function probeHttp(settings: HealthSettings, endpoint: Endpoint, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (reason: string | undefined): void => {
      if (settled) return;
      settled = true;
      disarm();
      request.destroy();
      resolve(reason);
    };
    const request = http.request(
      { host: endpoint.host, port: endpoint.port, path: settings.path, method: 'GET', agent: false, ...(signal ? { signal } : {}), headers: { 'user-agent': 'topolab-health' } },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        settle(status >= settings.expectLow && status <= settings.expectHigh ? undefined : `GET ${settings.path} answered ${status}`);
      },
    );
    const disarm = armTimeout(settings.timeoutMs, () => settle(`GET ${settings.path} timed out after ${settings.timeoutMs} ms`));
    request.once('error', (err: NodeJS.ErrnoException) => settle(`GET ${settings.path} failed (${err.code ?? err.message})`));
    request.end();
  });
}

/** Per-target run lengths of passed and failed probes. */
interface Streak {
  passed: number;
  failed: number;
  pending: boolean;
}

/**
 * Active health checks over a pool: one timer probes every target each interval; `rise`
 * passes in a row bring a target in, `fall` failures in a row take it out.
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private readonly streaks = new Map<string, Streak>();
  private stopped = false;
  /** Cancels probes still in flight when the checker stops, so no socket outlives it. */
  private abort = new AbortController();

  constructor(
    private readonly pool: TargetPool,
    readonly settings: HealthSettings,
  ) {}

  start(): void {
    this.stopped = false;
    this.abort = new AbortController();
    this.tick();
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Probes a target at once (a new instance should not wait a whole interval). */
  probeNow(nodeId: string): void {
    const state = this.pool.get(nodeId);
    if (state !== undefined) this.check(nodeId, state.target.endpoint);
  }

  private tick(): void {
    const live = new Set<string>();
    for (const state of this.pool.all()) {
      live.add(state.nodeId);
      this.check(state.nodeId, state.target.endpoint);
    }
    for (const id of this.streaks.keys()) if (!live.has(id)) this.streaks.delete(id);
  }

  private check(nodeId: string, endpoint: Endpoint): void {
    let streak = this.streaks.get(nodeId);
    if (streak === undefined) {
      streak = { passed: 0, failed: 0, pending: false };
      this.streaks.set(nodeId, streak);
    }
    if (streak.pending) return;
    // A probe is a connection: the design's routing and filters decide it, as for requests.
    // A refused probe never leaves the balancer; the pool reports the blocker as the reason.
    if (this.pool.reachable(nodeId) !== undefined) {
      streak.failed += 1;
      streak.passed = 0;
      return;
    }
    streak.pending = true;
    const current = streak;
    void probe(this.settings, endpoint, this.abort.signal).then((reason) => {
      current.pending = false;
      if (this.stopped) return;
      const state = this.pool.get(nodeId);
      if (state === undefined) return;
      if (reason === undefined) {
        current.passed += 1;
        current.failed = 0;
        if (!state.healthy && current.passed >= this.settings.rise) {
          this.pool.setHealthy(nodeId, true, `passed ${this.settings.rise} checks`);
        }
      } else {
        current.failed += 1;
        current.passed = 0;
        if (state.healthy && current.failed >= this.settings.fall) this.pool.setHealthy(nodeId, false, reason);
      }
    });
  }
}
