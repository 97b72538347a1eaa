import { UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { HealthCheck } from '../../model/index.js';
import { fnv1a } from '../balancing/algorithms.js';
import { HealthChecker, resolveHealthCheck } from '../balancing/health.js';
import type { TargetPool, TargetState } from '../balancing/pool.js';
import { sendBlocked, sendError } from '../http/errors.js';
import { bodyFraming, forwardTo, limitedBody, type BodyFraming, type ForwardOutcome } from '../http/forward.js';
import { buildForwardHeaders, clientProto, stripV4Mapped } from '../http/headers.js';
import { UpstreamPools } from '../http/pools.js';
import { failureErrorCode, isIdempotent, isUpstreamFault, refusedByUndici } from '../http/upstream-errors.js';
import { HttpServiceBase } from './base.js';
import { allowAll, type ConnectGate, type HttpLimits, type ServiceOptions, type UpstreamOptions } from './types.js';

/** Where a request goes: decided by the service (one pool for a balancer, a rule's pool for a gateway). */
export interface Route {
  pool: TargetPool;
  /** The upstream request target (after any prefix rewrite). */
  path: string;
  /** Request header overrides, lower-case names (empty value removes). */
  requestHeaders?: Readonly<Record<string, string>>;
  /** Response header overrides, lower-case names (empty value removes). */
  responseHeaders?: Readonly<Record<string, string>>;
}

/** One client request on its way upstream. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  method: string;
  path: string;
  headers: string[];
  framing: BodyFraming;
  keyHash: number;
  pool: TargetPool;
  tries: number;
  responseHeaders: Readonly<Record<string, string>> | undefined;
  onHeaders: ((status: number, headers: string[]) => void) | undefined;
}

/**
 * The forwarding machinery shared by the L7 balancer and the reverse proxy: builds the
 * upstream headers (loop check, X-Forwarded-*, Via, hop-by-hop), asks the routing gate,
 * streams through pooled keep-alive connections, maps failures to 502/503/504, retries an
 * idempotent body-less request that failed at connect once on another target, feeds
 * passive ejection, and bounds the requests in flight with a FIFO queue.
 */
export abstract class ForwardingServiceBase extends HttpServiceBase {
  protected readonly gate: ConnectGate;
  protected readonly pools: UpstreamPools;
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private inFlight = 0;
  private draining = false;
  private readonly queue: Array<() => void> = [];
  private readonly checkers: HealthChecker[] = [];
  protected healthCheck: HealthCheck | undefined;

  protected constructor(
    options: ServiceOptions & UpstreamOptions & HttpLimits,
    maxInFlight: number,
    private readonly defaultCheckType: 'http' | 'tcp' = 'http',
  ) {
    super(options, options);
    this.gate = options.gate ?? allowAll;
    this.maxInFlight = Math.max(1, maxInFlight);
    // Queue generously (a load test may open 1,000 connections); beyond this, answer 503.
    this.maxQueued = Math.max(4096, this.maxInFlight * 16);
    this.pools = new UpstreamPools({
      connections: this.maxInFlight,
      connectTimeoutMs: options.connectTimeoutMs ?? UPSTREAM_DEFAULTS.connectTimeoutMs,
      timeoutMs: options.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs,
    });
  }

  /** The pools whose targets active checks watch. */
  protected abstract targetPools(): readonly TargetPool[];

  /** Where a request goes, or undefined after answering it itself (no matching rule); a promise while an authenticator verifies a token. */
  protected abstract route(req: IncomingMessage, res: ServerResponse): Route | undefined | Promise<Route | undefined>;

  /** Picks the first target (sticky balancers override). */
  protected choose(exchange: Exchange): TargetState | undefined {
    return exchange.pool.pick(exchange.keyHash);
  }

  /** Called when a retry moves a request to another target (sticky balancers re-pin the client). */
  protected retarget(_exchange: Exchange, _target: TargetState): void {}

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    if (this.inFlight < this.maxInFlight) {
      this.begin(req, res, started);
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.stats.finish(503, 0);
      sendError(res, 503, 'overloaded', `${this.nodeId} has ${this.inFlight} requests in flight and ${this.queue.length} queued`, this.nodeId);
      return;
    }
    this.queue.push(() => this.begin(req, res, started));
  }

  private begin(req: IncomingMessage, res: ServerResponse, started: number): void {
    if (res.destroyed || res.writableEnded) return;
    this.inFlight += 1;
    try {
      this.dispatch(req, res, started);
    } catch (err) {
      // A bug must cost this request, never the slot it holds.
      this.finish(started, 500);
      sendError(res, 500, 'internal-error', `${this.nodeId} failed to forward the request: ${(err as Error).message}`, this.nodeId);
    }
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, started: number): void {
    const routed = this.route(req, res);
    if (!(routed instanceof Promise)) {
      this.forwardRouted(req, res, started, routed);
      return;
    }
    routed
      .then((route) => {
        if (res.destroyed) {
          // The client left while its credentials were checked: free the slot, send nothing.
          this.finish(started, 499);
          return;
        }
        this.forwardRouted(req, res, started, route);
      })
      .catch((err: unknown) => {
        this.finish(started, 500);
        sendError(res, 500, 'internal-error', `${this.nodeId} failed to route the request: ${(err as Error).message}`, this.nodeId);
      });
  }

  private forwardRouted(req: IncomingMessage, res: ServerResponse, started: number, route: Route | undefined): void {
    if (route === undefined) {
      this.finish(started, res.statusCode);
      return;
    }
    const remote = req.socket.remoteAddress ?? '';
    const built = buildForwardHeaders(req.rawHeaders, { remoteAddress: remote, localPort: req.socket.localPort ?? 0, nodeId: this.nodeId, proto: clientProto(req.socket) }, route.requestHeaders);
    if (built.loop) {
      this.finish(started, 508);
      sendError(res, 508, 'loop-detected', `request already passed through ${this.nodeId} (Via: ${String(req.headers['via'])})`, this.nodeId);
      return;
    }
    const exchange: Exchange = {
      req,
      res,
      started,
      method: req.method ?? 'GET',
      path: route.path,
      headers: built.headers,
      framing: bodyFraming(req.rawHeaders),
      keyHash: route.pool.algorithm === 'source-hash' ? fnv1a(stripV4Mapped(remote)) : 0,
      pool: route.pool,
      tries: 0,
      responseHeaders: route.responseHeaders,
      onHeaders: undefined,
    };
    const target = this.choose(exchange);
    const blocked = target === undefined ? exchange.pool.blockedByRouting() : undefined;
    if (blocked?.blocked !== undefined) {
      // Routing is why no target is left: name the blocker, as a refused connection would.
      this.finish(started, 502);
      sendBlocked(res, this.nodeId, blocked.nodeId, blocked.blocked);
      return;
    }
    if (target === undefined) {
      this.finish(started, 503);
      sendError(res, 503, 'no-healthy-upstream', `${this.nodeId} has no healthy upstream for ${exchange.path}`, this.nodeId);
      return;
    }
    this.attempt(exchange, target);
  }

  private attempt(exchange: Exchange, target: TargetState): void {
    const verdict = this.gate(this.nodeId, target.nodeId);
    if (!verdict.allowed) {
      this.finish(exchange.started, 502);
      sendBlocked(exchange.res, this.nodeId, target.nodeId, verdict);
      return;
    }
    const { req } = exchange;
    const body = exchange.framing === 'none' ? null : exchange.framing === 'chunked' ? limitedBody(req, this.front.limits.maxBodyBytes) : req;
    let pool: Dispatcher;
    try {
      pool = this.pools.get(target.target.endpoint);
    } catch (err) {
      this.finish(exchange.started, 500);
      sendError(exchange.res, 500, 'outside-lab', `${this.nodeId}: ${(err as Error).message}`, this.nodeId);
      return;
    }
    target.active += 1;
    forwardTo(pool, {
      res: exchange.res,
      method: exchange.method,
      path: exchange.path,
      headers: exchange.headers,
      body,
      nodeId: this.nodeId,
      responseHeaders: exchange.responseHeaders,
      onHeaders: exchange.onHeaders,
      // bind, not an arrow: the CLI bundle keeps function names, which costs a defineProperty per arrow made here.
      done: this.settle.bind(this, exchange, target),
    });
  }

  private settle(exchange: Exchange, target: TargetState, outcome: ForwardOutcome): void {
    target.active -= 1;
    if (outcome.ok) {
      exchange.pool.reportSuccess(target);
      this.finish(exchange.started, outcome.status);
      return;
    }
    const { failure } = outcome;
    const { res } = exchange;
    // The front end already answered (a body timeout) or the client went away: not the upstream's fault.
    if (res.writableEnded || res.destroyed || failure.status === 499) {
      this.finish(exchange.started, res.writableEnded ? undefined : 499);
      return;
    }
    if (!isUpstreamFault(failure)) {
      if (refusedByUndici(failure)) this.pools.replace(target.target.endpoint);
      this.finish(exchange.started, failure.status);
      sendError(res, failure.status, failureErrorCode(failure), failure.kind === 'unforwardable' ? `${this.nodeId}: ${failure.message}` : failure.message, this.nodeId, undefined, true);
      return;
    }
    exchange.pool.reportFailure(target, failure.message);
    // Retry once elsewhere when nothing came back yet: a refused connect, or a reset of a
    // pooled keep-alive socket the upstream closed (its process died), like nginx's
    // proxy_next_upstream for idempotent requests. Bodies are streamed, so only body-less ones.
    const retryable = failure.kind === 'connect' || failure.kind === 'reset';
    if (retryable && !outcome.headersSent && exchange.tries === 0 && exchange.framing === 'none' && isIdempotent(exchange.method)) {
      const other = exchange.pool.pick(exchange.keyHash, target);
      if (other !== undefined && other !== target) {
        exchange.tries += 1;
        this.retarget(exchange, other);
        this.attempt(exchange, other);
        return;
      }
    }
    this.finish(exchange.started, failure.status);
    sendError(res, failure.status, failureErrorCode(failure), `${target.nodeId}: ${failure.message}`, this.nodeId);
  }

  /** Frees the request's in-flight slot and records its status (`undefined`: already recorded by the front end). */
  private finish(started: number, status: number | undefined): void {
    if (status !== undefined) this.stats.finish(status, performance.now() - started);
    // Requests still settling after stop() reset the count must not drive it negative.
    if (this.inFlight > 0) this.inFlight -= 1;
    this.next();
  }

  /** Starts queued requests while slots are free; re-entrant calls (a request that finished at once) leave it to the running loop. */
  private next(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
        const run = this.queue.shift();
        run?.();
      }
    } finally {
      this.draining = false;
    }
  }

  /** Replaces active checks on every pool (undefined turns them off: all targets healthy). */
  setHealthCheck(check: HealthCheck | undefined): void {
    this.healthCheck = check;
    for (const checker of this.checkers) checker.stop();
    this.checkers.length = 0;
    if (check === undefined) {
      for (const pool of this.targetPools()) pool.markAllHealthy();
      return;
    }
    for (const pool of this.targetPools()) {
      this.checkers.push(new HealthChecker(pool, resolveHealthCheck(check, this.defaultCheckType)));
    }
    if (this.endpoint() !== undefined) for (const checker of this.checkers) checker.start();
  }

  /** Probes new targets at once so they join as soon as they pass `rise` checks. */
  protected probeNew(ids: readonly string[]): void {
    for (const checker of this.checkers) for (const id of ids) checker.probeNow(id);
  }

  protected override onStart(): void {
    for (const checker of this.checkers) checker.start();
  }

  protected override async onStop(): Promise<void> {
    for (const checker of this.checkers) checker.stop();
    for (const pool of this.targetPools()) pool.dispose();
    this.queue.length = 0;
    this.inFlight = 0;
    await this.pools.closeAll();
  }
}
