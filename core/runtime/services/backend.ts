import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Latency } from '../../model/index.js';
import { sendError } from '../http/errors.js';
import { bodyFraming } from '../http/forward.js';
import { headerListItems, viaContains } from '../http/headers.js';
import { DependencyCaller, formatCallsHeader, MAX_CALLS_IN_FLIGHT, MAX_HOPS, statusForFailedCall, type CallRecord } from './dependencies.js';
import { HttpServiceBase } from './base.js';
import { sampleLatency } from './latency.js';
import { isNotModified, staticResource } from './static-content.js';
import type { BackendOptions, BackendService } from './types.js';

/**
 * The built-in server app: answers JSON naming itself (node id, designed address, the
 * request as received) with `x-served-by`, serves cacheable `/static/*` with validators,
 * `/health` for checks, and injects latency and errors that can change while running.
 * With dependencies (its edges) it calls each of them for every request it serves except
 * `/health`, after its latency, and answers 502 (504 for a timeout, 508 for a loop) naming
 * the first that failed; `x-topolab-calls` lists the calls it made.
 */
export class Backend extends HttpServiceBase implements BackendService {
  readonly kind = 'backend' as const;
  private latency: Latency | undefined;
  private errorRate: number;
  private readonly address: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly caller: DependencyCaller | undefined;
  /** Aborts the calls in flight when the service stops. */
  private lifetime = new AbortController();

  constructor(options: BackendOptions) {
    super(options, options);
    this.latency = options.latency;
    this.errorRate = clampRate(options.errorRate ?? 0);
    this.address = options.designedAddress ?? '';
    this.caller = options.calls && options.calls.dependencies.length > 0 ? new DependencyCaller(options.calls) : undefined;
  }

  setLatency(latency: Latency | undefined): void {
    this.latency = latency;
  }

  setErrorRate(rate: number): void {
    this.errorRate = clampRate(rate);
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const url = req.url ?? '/';
    if (url === '/health') {
      this.reply(res, started, 200, '{"status":"ok","node":' + JSON.stringify(this.nodeId) + '}\n');
      return;
    }
    if (this.caller && this.refusedAsLoop(req, res, started)) return;
    const delay = sampleLatency(this.latency);
    // The common case (no body, no latency) makes no closure: this is every lab request's last hop.
    if (delay <= 0 && (req.complete || bodyFraming(req.rawHeaders) === 'none')) {
      this.respond(req, res, url, started, 0);
      return;
    }
    let bodyBytes = 0;
    const afterBody = (): void => {
      if (delay <= 0) {
        this.respond(req, res, url, started, bodyBytes);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.respond(req, res, url, started, bodyBytes);
      }, delay);
      this.timers.add(timer);
    };
    if (req.complete || bodyFraming(req.rawHeaders) === 'none') {
      afterBody();
    } else {
      // A chunked body has no declared length for the front end to check: count it here.
      const limit = this.front.limits.maxBodyBytes;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        bodyBytes += chunk.length;
        if (bodyBytes > limit && !tooLarge) {
          tooLarge = true;
          this.stats.finish(413, performance.now() - started);
          sendError(res, 413, 'body-too-large', `request body larger than ${limit} bytes`, this.nodeId, undefined, true);
        }
      });
      req.once('end', () => {
        if (!tooLarge) afterBody();
      });
      req.once('error', () => res.destroy());
    }
  }

  /** After the body and any latency: the injected error, the dependencies' calls, then the answer. */
  private respond(req: IncomingMessage, res: ServerResponse, url: string, started: number, bodyBytes: number): void {
    if (res.destroyed) return;
    if (this.errorRate > 0 && Math.random() < this.errorRate) {
      this.reply(res, started, 500, JSON.stringify({ error: 'injected-error', node: this.nodeId }) + '\n');
      return;
    }
    if (this.caller) this.callThenAnswer(this.caller, req, res, started, (calls) => this.answer(req, res, url, started, bodyBytes, calls));
    else this.answer(req, res, url, started, bodyBytes, undefined);
  }

  /** The answer: a static resource, or the JSON echo of the request (with the calls made). */
  private answer(req: IncomingMessage, res: ServerResponse, url: string, started: number, bodyBytes: number, calls: readonly CallRecord[] | undefined): void {
    if (url.startsWith('/static/')) {
      this.serveStatic(req, res, url, started, calls);
      return;
    }
    const body = JSON.stringify({
      node: this.nodeId,
      address: this.address,
      method: req.method,
      path: url,
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
      bodyBytes,
      ...(calls ? { calls } : {}),
    });
    this.reply(res, started, 200, body + '\n', calls);
  }

  /**
   * A request that already passed this server (its `Via` names it: the calls loop), or
   * passed more than `MAX_HOPS` forwarders and callers, is answered 508 without calling.
   */
  private refusedAsLoop(req: IncomingMessage, res: ServerResponse, started: number): boolean {
    const via = headerListItems(req.headers['via']);
    if (via.length === 0) return false;
    const looped = viaContains(via.join(', '), this.nodeId);
    if (!looped && via.length <= MAX_HOPS) return false;
    this.stats.finish(508, performance.now() - started);
    const message = looped ? `request already passed through ${this.nodeId} (Via: ${via.join(', ')}): its calls loop` : `request passed ${via.length} hops, more than ${MAX_HOPS}`;
    sendError(res, 508, 'loop-detected', message, this.nodeId, { 'x-served-by': this.nodeId });
    return true;
  }

  /** Calls every dependency, then answers (or answers the first failure, naming the dependency). */
  private callThenAnswer(caller: DependencyCaller, req: IncomingMessage, res: ServerResponse, started: number, answer: (calls: readonly CallRecord[]) => void): void {
    if (!caller.hasRoom()) {
      this.stats.finish(503, performance.now() - started);
      sendError(res, 503, 'overloaded', `${this.nodeId} has as many calls to its dependencies in flight as it may (${MAX_CALLS_IN_FLIGHT} by default)`, this.nodeId, { 'x-served-by': this.nodeId });
      return;
    }
    // The client going away, or the service stopping, ends the calls.
    const abort = new AbortController();
    const onClose = (): void => {
      if (!res.writableEnded) abort.abort();
    };
    res.once('close', onClose);
    const stopping = this.lifetime.signal;
    const onStop = (): void => abort.abort();
    stopping.addEventListener('abort', onStop, { once: true });
    const via = req.headers['via'];
    caller
      .callAll({ nodeId: this.nodeId, path: req.url ?? '/', via: Array.isArray(via) ? via.join(', ') : via, signal: abort.signal })
      .then(
        (outcome) => {
          if (res.destroyed || res.writableEnded) return;
          if (outcome.failed) this.answerFailedCall(res, started, outcome.calls, outcome.failed);
          else answer(outcome.calls);
        },
        (error: unknown) => {
          this.stats.finish(500, performance.now() - started);
          sendError(res, 500, 'internal-error', `${this.nodeId} failed to call its dependencies: ${(error as Error).message}`, this.nodeId);
        },
      )
      .finally(() => {
        res.off('close', onClose);
        stopping.removeEventListener('abort', onStop);
      });
  }

  /** 502 (504 after a timeout, 508 for a loop) naming the dependency that failed and why. */
  private answerFailedCall(res: ServerResponse, started: number, calls: readonly CallRecord[], failed: CallRecord): void {
    const status = statusForFailedCall(failed);
    const code = failed.result === 'blocked' ? 'dependency-blocked' : status === 504 ? 'dependency-timeout' : status === 508 ? 'loop-detected' : 'dependency-failed';
    const text =
      JSON.stringify({
        error: code,
        status,
        message: `${this.nodeId}: dependency ${failed.node} (edge ${failed.edge}) failed: ${failed.error ?? failed.result}`,
        node: this.nodeId,
        dependency: failed.node,
        edge: failed.edge,
        ...(failed.blockedBy !== undefined ? { blockedBy: failed.blockedBy } : {}),
        ...(failed.code !== undefined ? { code: failed.code } : {}),
        // Trace's sentence on its own, for a refusal (the request inspector shows it as the design's).
        ...(failed.blockedBy !== undefined && failed.error !== undefined ? { reason: failed.error } : {}),
        calls,
      }) + '\n';
    this.stats.finish(status, performance.now() - started);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-served-by': this.nodeId,
      'x-topolab-calls': formatCallsHeader(calls),
      'x-topolab-failed-dependency': failed.node,
      ...(failed.blockedBy !== undefined ? { 'x-topolab-blocked-by': failed.blockedBy } : {}),
    });
    res.end(text);
  }

  private serveStatic(req: IncomingMessage, res: ServerResponse, url: string, started: number, calls: readonly CallRecord[] | undefined): void {
    const parsed = new URL(url, 'http://backend');
    const resource = staticResource(parsed.pathname, parsed.searchParams);
    const headers = {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': `public, max-age=${resource.maxAgeSeconds}`,
      etag: resource.etag,
      'last-modified': resource.lastModified.toUTCString(),
      'x-served-by': this.nodeId,
      ...(calls ? { 'x-topolab-calls': formatCallsHeader(calls) } : {}),
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (isNotModified(inm, ims, resource.etag, resource.lastModified)) {
      this.stats.finish(304, performance.now() - started);
      res.writeHead(304, headers);
      res.end();
      return;
    }
    this.stats.finish(200, performance.now() - started);
    res.writeHead(200, { ...headers, 'content-length': resource.body.length });
    res.end(req.method === 'HEAD' ? undefined : resource.body);
  }

  private reply(res: ServerResponse, started: number, status: number, body: string, calls?: readonly CallRecord[]): void {
    this.stats.finish(status, performance.now() - started);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-served-by': this.nodeId,
      ...(calls ? { 'x-topolab-calls': formatCallsHeader(calls) } : {}),
    });
    res.end(body);
  }

  protected override onStart(): void {
    this.lifetime = new AbortController();
  }

  protected override async onStop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.lifetime.abort();
    await this.caller?.close();
  }
}

function clampRate(rate: number): number {
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 0;
}
