import { setMaxListeners } from 'node:events';
import { Pool } from 'undici';
import { endpointOfUrl, isLabEndpoint, requireLabEndpoint } from '../http/lab-endpoint.js';
import { headerListItems } from '../http/headers.js';
import { LatencyHistogram } from '../metrics/histogram.js';
import { progressStepMs } from './progress-step.js';
import type { LoadCandidate, LoadOptions, LoadProgress, LoadResult } from './types.js';

/** Requests sent when neither a count nor a duration is given. */
export const DEFAULT_REQUESTS = 100;
/** Requests in flight at once when not given. */
export const DEFAULT_CONCURRENCY = 10;
/** The highest concurrency one run accepts: each in-flight request holds one socket. */
export const MAX_CONCURRENCY = 2000;

/**
 * Sends HTTP load to one URL with a bounded undici pool (keep-alive, one connection per
 * concurrent request) and summarises it. Never throws for failing requests: they are
 * counted under `status.error`. Throws only for invalid options. Every socket is closed
 * before the promise resolves, also when the run is cancelled through `signal`.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const settings = checkOptions(options);
  const sources = options.sourceAddresses && options.sourceAddresses.length > 0 ? [...options.sourceAddresses] : [undefined];
  const perPool = Math.ceil(settings.concurrency / sources.length);
  const makePool = (origin: string, localAddress: string | undefined): Pool =>
    new Pool(origin, {
      connections: perPool,
      pipelining: 1,
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      connect: { timeout: settings.timeoutMs, ...(options.tls ? { ca: options.tls.ca, servername: options.tls.servername } : {}) },
      ...(localAddress ? { localAddress } : {}),
    });
  const pools = sources.map((localAddress) => makePool(settings.origin, localAddress));
  // Resolved runs connect to whatever the answers name: one pool per origin and source, made on first use.
  const extraPools = new Map<string, Pool>();
  const poolFor = (origin: string, lane: number): Pool => {
    if (origin === settings.origin) return pools[lane % pools.length] as Pool;
    const key = `${origin}|${lane % sources.length}`;
    let pool = extraPools.get(key);
    if (!pool) {
      pool = makePool(origin, sources[lane % sources.length]);
      extraPools.set(key, pool);
    }
    return pool;
  };
  const stop = new AbortController();
  // Every in-flight request listens on the signal; more than the default 10 is expected.
  setMaxListeners(settings.concurrency + 16, stop.signal);
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  const histogram = new LatencyHistogram();
  const status: Record<string, number> = {};
  const byServer: Record<string, number> = {};
  const byAddress: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let issued = 0;
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = settings.durationMs === undefined ? Infinity : started + settings.durationMs;
  const more = (): boolean =>
    !stop.signal.aborted && (settings.requests === undefined ? performance.now() < deadline : issued < settings.requests);

  const progress = (): LoadProgress => {
    const elapsedMs = performance.now() - started;
    return { completed, elapsedMs: Math.round(elapsedMs), rps: rate(completed, elapsedMs), errors: failed };
  };
  // Progress reports, finer at the start (see progressStepMs); the next one is set after each.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const report = (): void => {
    timer = setTimeout(() => {
      const now = progress();
      options.onProgress?.(now);
      report();
    }, progressStepMs(performance.now() - started, options.progressIntervalMs));
  };
  if (options.onProgress) report();

  // Pacing hands out send slots 1/rps apart; workers wait for theirs, so bursts cannot exceed the rate.
  const interval = options.rps !== undefined && options.rps > 0 ? 1000 / options.rps : 0;
  let nextSlot = started;
  const onRequest = options.onRequest;

  /** Sends one request to the first candidate that accepts a connection; the failure of the last one otherwise. */
  const sendResolved = async (lane: number): Promise<{ response: Awaited<ReturnType<Pool['request']>>; address: string }> => {
    const candidates: LoadCandidate[] = options.candidates ? await options.candidates() : [];
    if (candidates.length === 0) throw Object.assign(new Error('the name has no address'), { code: 'ENOTFOUND' });
    let last: unknown;
    for (const candidate of candidates) {
      if ('connectError' in candidate) {
        last = Object.assign(new Error(candidate.connectError), { code: candidate.connectError });
        continue;
      }
      try {
        const url = new URL(candidate.url);
        requireLabEndpoint(endpointOfUrl(url));
        const response = await poolFor(url.origin, lane).request(requestOf());
        return { response, address: candidate.address };
      } catch (error) {
        last = error;
        if (stop.signal.aborted || !isConnectFailure(error)) throw error;
      }
    }
    throw last;
  };
  const requestOf = (): Parameters<Pool['request']>[0] => ({
    path: settings.requestPath,
    method: settings.method as 'GET',
    headers: settings.headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
    signal: stop.signal,
  });

  const worker = async (pool: Pool, lane: number): Promise<void> => {
    while (more()) {
      if (interval > 0) {
        const slot = nextSlot;
        nextSlot = Math.max(nextSlot + interval, performance.now());
        // A slot at or past the deadline is never used. Deciding on the slot, not on the
        // clock after the wait, matters: a timer may fire up to 1 ms early.
        if (slot >= deadline) return;
        const wait = slot - performance.now();
        if (wait > 1) await delay(wait, stop.signal);
        if (stop.signal.aborted || (settings.requests !== undefined && issued >= settings.requests)) return;
      }
      issued++;
      const sent = performance.now();
      try {
        let response: Awaited<ReturnType<Pool['request']>>;
        let address = options.address;
        if (options.candidates) ({ response, address } = await sendResolved(lane));
        else response = await pool.request(requestOf());
        // Latency covers the whole body: a slow body is part of what a user waits for.
        for await (const _chunk of response.body) {
          // drain
        }
        const latencyMs = performance.now() - sent;
        histogram.record(latencyMs);
        completed++;
        bump(status, String(response.statusCode));
        const servedBy = firstServer(response.headers['x-served-by']);
        if (servedBy) bump(byServer, servedBy);
        if (address !== undefined) bump(byAddress, address);
        onRequest?.({ sentAtMs: sent - started, sentAtEpochMs: performance.timeOrigin + sent, status: response.statusCode, latencyMs, ...(servedBy ? { servedBy } : {}), ...(address !== undefined ? { address } : {}) });
      } catch (error) {
        if (stop.signal.aborted) return; // cancelled: not a failure of the target
        const latencyMs = performance.now() - sent;
        histogram.record(latencyMs);
        completed++;
        failed++;
        bump(status, 'error');
        bump(errors, errorCode(error));
        onRequest?.({ sentAtMs: sent - started, sentAtEpochMs: performance.timeOrigin + sent, status: 'error', latencyMs });
      }
    }
  };

  try {
    const workers: Promise<void>[] = [];
    for (let i = 0; i < settings.concurrency; i++) workers.push(worker(pools[i % pools.length] as Pool, i));
    await Promise.all(workers);
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // destroy, not close: a cancelled run must not wait for requests still in flight.
    await Promise.all([...pools, ...extraPools.values()].map((pool) => pool.destroy().catch(() => undefined)));
  }
  const durationMs = performance.now() - started;
  if (options.onProgress) options.onProgress(progress());
  const latency = histogram.summary();
  return {
    requests: completed,
    rps: rate(completed, durationMs),
    status,
    latency: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max },
    byServer,
    byAddress,
    errors,
    durationMs: Math.round(durationMs),
    aborted: options.signal?.aborted === true,
    // requestPath is absolute through a forward proxy, so it wins over the origin then.
    url: new URL(settings.requestPath, settings.origin).href,
  };
}

interface CheckedOptions {
  origin: string;
  requestPath: string;
  method: string;
  headers: Record<string, string>;
  requests?: number;
  durationMs?: number;
  concurrency: number;
  timeoutMs: number;
}

function checkOptions(options: LoadOptions): CheckedOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new RangeError(`load target "${options.url}" is not a URL`);
  }
  if (url.protocol !== 'http:' && !(url.protocol === 'https:' && options.tls !== undefined)) throw new RangeError(`load target "${options.url}" must be an http:// URL (https:// only with the lab's CA)`);
  // A run to a DNS name connects only to its candidates' URLs, each checked before use; `url` is never connected to.
  if (!options.candidates && !isLabEndpoint(endpointOfUrl(url))) throw new RangeError(`load target "${options.url}" is not a lab endpoint on loopback: the lab sends traffic only to its own nodes`);
  if (options.requests !== undefined && options.durationSeconds !== undefined) {
    throw new RangeError('give either a request count or a duration, not both');
  }
  if (options.requests !== undefined && (!Number.isInteger(options.requests) || options.requests < 1)) {
    throw new RangeError(`request count must be a positive integer, got ${options.requests}`);
  }
  if (options.durationSeconds !== undefined && !(options.durationSeconds > 0 && options.durationSeconds <= 3600)) {
    throw new RangeError(`duration must be more than 0 and at most 3600 seconds, got ${options.durationSeconds}`);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new RangeError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${concurrency}`);
  }
  const path = options.path ?? '/';
  if (!path.startsWith('/')) throw new RangeError(`path must start with "/", got "${path}"`);
  const method = (options.method ?? 'GET').toUpperCase();
  if (!/^[A-Z]{1,16}$/.test(method)) throw new RangeError(`method "${options.method}" is not an HTTP method`);
  let requestPath = path;
  if (options.viaProxyTo !== undefined) {
    const target = new URL(path, options.viaProxyTo);
    requestPath = target.href; // absolute-form: what a client sends to a forward proxy
  }
  const requests = options.durationSeconds === undefined ? (options.requests ?? DEFAULT_REQUESTS) : undefined;
  return {
    origin: url.origin,
    requestPath,
    method,
    headers: { ...options.headers },
    ...(requests !== undefined ? { requests } : {}),
    ...(options.durationSeconds !== undefined ? { durationMs: options.durationSeconds * 1000 } : {}),
    concurrency: requests !== undefined ? Math.min(concurrency, requests) : concurrency,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
}

/** The origin server of an `x-served-by` value: the first of a comma-separated chain. */
export function firstServer(value: string | string[] | undefined): string | undefined {
  return headerListItems(value)[0];
}

/** Errors that mean no connection was made, so a client moves on to the next address. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function isConnectFailure(error: unknown): boolean {
  return CONNECT_FAILURES.has(errorCode(error));
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (typeof cause?.code === 'string') return cause.code;
    if (error instanceof Error) return error.name;
  }
  return 'unknown';
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count / ms) * 1000 * 10) / 10 : 0;
}

/** Resolves after `ms`, or at once when the run is cancelled. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
