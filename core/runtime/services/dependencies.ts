import { connect as connectTcp, type Socket } from 'node:net';
import type { EdgeProtocol } from '../../model/index.js';
import { requireLabEndpoint } from '../http/lab-endpoint.js';
import { UpstreamPools } from '../http/pools.js';
import { classifyUpstreamError } from '../http/upstream-errors.js';
import type { ConnectGate, Endpoint, GateBlock } from './types.js';

/**
 * A server's calls to its dependencies (its edges), made for each request it serves: HTTP
 * `GET`s, or TCP connections opened and closed, all at once or one after another, each
 * bounded by a timeout. Every call asks the routing gate first (with the edge's port) and
 * connects only to a lab endpoint on loopback. Bounded: at most `MAX_PARALLEL_CALLS` calls
 * of one request at once, at most `MAX_CALLS_IN_FLIGHT` of one server (beyond, the request
 * is refused 503 without calling), and a request that has passed more than `MAX_HOPS`
 * forwarders or callers (its `Via`) is refused 508, so no call graph can multiply one
 * request without bound.
 */

/** Default timeout of one call, ms: well below a balancer's 30 s, so the caller answers first. */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;
/** Calls of one request in flight at once; more edges are called as earlier ones finish. */
export const MAX_PARALLEL_CALLS = 8;
/** Calls of one server in flight at once, over all its requests. */
export const MAX_CALLS_IN_FLIGHT = 256;
/** Hops (`Via` entries) a request may have passed before a caller refuses it as a loop. */
export const MAX_HOPS = 16;

/** One dependency: an edge of the server, with its port and protocol resolved. */
export interface Dependency {
  /** The edge's id. */
  edgeId: string;
  /** The node called (a lab node id). */
  nodeId: string;
  /** The designed destination port: the gate traces on it. */
  port: number;
  protocol: EdgeProtocol;
}

/** How a server calls its dependencies. */
export interface DependencyOptions {
  dependencies: readonly Dependency[];
  /** `parallel` (default) or `sequential` (edge order, stopping at the first failure). */
  order?: 'parallel' | 'sequential';
  /** Per call, ms. Default `DEFAULT_CALL_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** The design's routing. */
  gate: ConnectGate;
  /**
   * The endpoint a call to a lab node on the edge's `port` connects to; `undefined` when it
   * has none (never started). The loopback lab gives the node's loopback endpoint (the gate
   * already checked the port); the kernel lab the node's designed address on `port`.
   */
  locate: (nodeId: string, port: number) => Endpoint | undefined;
  /** Calls of this server in flight at once. Default `MAX_CALLS_IN_FLIGHT`. */
  maxInFlight?: number;
}

/** What became of one call. */
export type CallResult = 'ok' | 'error-status' | 'refused' | 'failed' | 'timeout' | 'blocked' | 'loop' | 'not-running';

/** One call made, as `x-topolab-calls` and the JSON body list it. */
export interface CallRecord {
  edge: string;
  node: string;
  protocol: EdgeProtocol;
  result: CallResult;
  /** The dependency's status (HTTP calls that got an answer). */
  status?: number;
  ms: number;
  /** Why it failed, in words. */
  error?: string;
  /** The node that blocks the flow (`blocked`). */
  blockedBy?: string;
  /** What blocks it (`blocked`): the trace's `blockedBy.code` (a routing code, `security-group`, `network-acl`). */
  code?: GateBlock['code'];
}

/** What the calls of one request came to: every call made, and the first that failed. */
export interface CallsOutcome {
  calls: CallRecord[];
  failed?: CallRecord;
}

/** The headers a call carries: `Via` (the request's, then this server), so a cycle is seen. */
export interface CallContext {
  nodeId: string;
  /** The served request's path: a call asks its dependency for the same path. */
  path: string;
  /** The served request's `Via`, if any. */
  via: string | undefined;
  /** Aborts every call (the client went away, or the server stops). */
  signal: AbortSignal;
}

/** Makes the calls of one server; one per service, closed with it. */
export class DependencyCaller {
  readonly dependencies: readonly Dependency[];
  private readonly order: 'parallel' | 'sequential';
  private readonly timeoutMs: number;
  private readonly pools: UpstreamPools;
  private readonly sockets = new Set<Socket>();
  private inFlight = 0;

  constructor(private readonly options: DependencyOptions) {
    this.dependencies = options.dependencies;
    this.order = options.order ?? 'parallel';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.pools = new UpstreamPools({ connections: 64, connectTimeoutMs: this.timeoutMs, timeoutMs: this.timeoutMs });
  }

  /** Whether another request's calls may start now (`maxInFlight`). */
  hasRoom(): boolean {
    return this.inFlight + Math.min(this.dependencies.length, MAX_PARALLEL_CALLS) <= (this.options.maxInFlight ?? MAX_CALLS_IN_FLIGHT);
  }

  /** Calls every dependency for one request, as the order says. */
  async callAll(context: CallContext): Promise<CallsOutcome> {
    const calls: CallRecord[] = [];
    if (this.order === 'sequential') {
      for (const dependency of this.dependencies) {
        if (context.signal.aborted) break;
        const record = await this.call(dependency, context);
        calls.push(record);
        if (record.result !== 'ok') return { calls, failed: record };
      }
      return { calls };
    }
    const records = new Array<CallRecord | undefined>(this.dependencies.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.dependencies.length && !context.signal.aborted) {
        const i = next++;
        records[i] = await this.call(this.dependencies[i] as Dependency, context);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_CALLS, this.dependencies.length) }, worker));
    for (const record of records) if (record) calls.push(record);
    return { calls, ...firstFailure(calls) };
  }

  /** One call: the gate, the lab endpoint, then HTTP or TCP within the timeout. Never rejects. */
  private async call(dependency: Dependency, context: CallContext): Promise<CallRecord> {
    const started = performance.now();
    const record = (result: CallResult, extra: Partial<CallRecord> = {}): CallRecord => ({
      edge: dependency.edgeId,
      node: dependency.nodeId,
      protocol: dependency.protocol,
      result,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...extra,
    });
    const verdict = this.options.gate(context.nodeId, dependency.nodeId, { port: dependency.port });
    if (!verdict.allowed) return record('blocked', { blockedBy: verdict.blockedBy, code: verdict.code, error: verdict.reason });
    const endpoint = this.options.locate(dependency.nodeId, dependency.port);
    if (!endpoint) return record('not-running', { error: `${dependency.nodeId} is not running in the lab` });
    this.inFlight += 1;
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => abort.abort(new CallTimeout()), this.timeoutMs);
    try {
      if (dependency.protocol === 'tcp') {
        await this.openAndClose(endpoint, abort.signal);
        return record('ok');
      }
      const { status, failedDependency } = await this.get(endpoint, dependency, context, abort.signal);
      if (status === 508) return record('loop', { status, error: `${dependency.nodeId} answered 508: the calls loop back through it` });
      if (status < 500) return record('ok', { status });
      // A lab server names the dependency that failed it: the cause, one tier down.
      const cause = failedDependency !== undefined ? ` (its dependency ${failedDependency} failed)` : '';
      return record('error-status', { status, error: `${dependency.nodeId} answered ${status}${cause}` });
    } catch (error) {
      if (abort.signal.reason instanceof CallTimeout) return record('timeout', { error: `${dependency.nodeId} did not answer within ${this.timeoutMs} ms` });
      const failure = classifyUpstreamError(error);
      if (failure.kind === 'connect' && failure.status === 502) return record('refused', { error: `${dependency.nodeId} refused the connection (${failure.code})` });
      return record('failed', { error: `${dependency.nodeId}: ${failure.message}` });
    } finally {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
      this.inFlight -= 1;
    }
  }

  /** `GET <path>` on the dependency, body read and dropped; resolves its status (and the dependency it names as failed, if any). */
  private async get(endpoint: Endpoint, dependency: Dependency, context: CallContext, signal: AbortSignal): Promise<{ status: number; failedDependency?: string }> {
    const pool = this.pools.plain(endpoint);
    const via = context.via === undefined || context.via === '' ? `1.1 ${context.nodeId}` : `${context.via}, 1.1 ${context.nodeId}`;
    const response = await pool.request({ method: 'GET', path: context.path, headers: { via, 'x-topolab-call': dependency.edgeId }, signal });
    // Read and dropped: up to 2 MiB (a built-in app answers at most 1 MiB); beyond, the connection is closed.
    await response.body.dump({ limit: 2 << 20, signal });
    const failed = response.headers['x-topolab-failed-dependency'];
    return { status: response.statusCode, ...(typeof failed === 'string' && /^[A-Za-z0-9._:#-]{1,140}$/.test(failed) ? { failedDependency: failed } : {}) };
  }

  /** Opens a TCP connection to the dependency and closes it again. */
  private openAndClose(endpoint: Endpoint, signal: AbortSignal): Promise<void> {
    const target = requireLabEndpoint(endpoint);
    return new Promise((resolve, reject) => {
      const socket = connectTcp({ host: target.host, port: target.port });
      this.sockets.add(socket);
      const done = (error?: Error): void => {
        signal.removeEventListener('abort', onAbort);
        this.sockets.delete(socket);
        socket.destroy();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = (): void => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => done());
      socket.once('error', (error) => done(error));
    });
  }

  /** Closes every pool and socket (in-flight calls fail). */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await this.pools.closeAll();
  }
}

/** A call's timer fired (told apart from the client going away). */
class CallTimeout extends Error {
  constructor() {
    super('call timed out');
  }
}

/** The first failed call, in edge order. */
function firstFailure(calls: readonly CallRecord[]): { failed?: CallRecord } {
  const failed = calls.find((c) => c.result !== 'ok');
  return failed ? { failed } : {};
}

/** `db;edge=e-db;result=200;dur=3.1, cache;edge=e3;result=refused;dur=0.4`: the calls made, in `x-topolab-calls`. */
export function formatCallsHeader(calls: readonly CallRecord[]): string {
  return calls.map((c) => `${c.node};edge=${c.edge};result=${c.result === 'ok' ? (c.status ?? 'connected') : c.status !== undefined ? c.status : c.result};dur=${c.ms}`).join(', ');
}

/** The status a server answers with when a call failed: 504 for a timeout, 508 for a loop, else 502. */
export function statusForFailedCall(failed: CallRecord): 502 | 504 | 508 {
  if (failed.result === 'timeout') return 504;
  if (failed.result === 'loop') return 508;
  return 502;
}
