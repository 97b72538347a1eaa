import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { TargetPool, type TargetState } from '../balancing/pool.js';
import { sendBlocked, sendError } from '../http/errors.js';
import { bodyFraming, limitedBody } from '../http/forward.js';
import { UnforwardableRequestError, unforwardableReason } from '../http/forwardable.js';
import { buildForwardHeaders, clientProto, prepareResponseHeaders } from '../http/headers.js';
import { UpstreamPools } from '../http/pools.js';
import { UpstreamTlsLog } from '../http/upstream-tls.js';
import { classifyUpstreamError, failureErrorCode, isUpstreamFault, refusedByUndici, type UpstreamFailure } from '../http/upstream-errors.js';
import { CACHE_DEFAULTS, UPSTREAM_DEFAULTS } from '../../model/defaults.js';
import { HttpServiceBase } from './base.js';
import { currentAge, freshnessLifetime, isStorable, mergeNotModified, requestWantsRevalidation, varyKey } from './cache-policy.js';
import { CacheStore, entrySize, type CacheEntry } from './cache-store.js';
import { normalizeHost } from './proxy-rules.js';
import { etagMatches, isNotModified } from './static-content.js';
import { allowAll, type CacheOptions, type CacheService, type ConnectGate, type NodeMetrics, type UpstreamTarget } from './types.js';

type CacheMark = 'HIT' | 'MISS' | 'REVALIDATED';

/** Client validators are answered by the cache itself, so they never reach the origin. */
const CONDITIONAL = new Set(['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range']);

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * A caching reverse proxy (RFC 9111 subset): stores storable GET responses under LRU-by-
 * bytes, answers fresh ones (`X-Cache: HIT`, `Age`), revalidates stale ones with the
 * stored validators (a 304 refreshes the entry: `REVALIDATED`), honours Vary and the
 * request's no-cache/no-store, invalidates a URL on unsafe methods, and purges on demand.
 */
export class Cache extends HttpServiceBase implements CacheService {
  readonly kind = 'cache' as const;
  private readonly store: CacheStore;
  private readonly defaultTtl: number;
  private readonly pool: TargetPool;
  private readonly pools: UpstreamPools;
  private readonly gate: ConnectGate;
  private readonly tlsLog = new UpstreamTlsLog();
  private hits = 0;
  private misses = 0;
  private revalidated = 0;

  constructor(options: CacheOptions) {
    super(options, options);
    this.store = new CacheStore(options.maxBytes ?? CACHE_DEFAULTS.maxBytes);
    this.defaultTtl = options.defaultTtlSeconds ?? CACHE_DEFAULTS.defaultTtl;
    this.gate = options.gate ?? allowAll;
    this.pool = new TargetPool(this.nodeId, 'round-robin', undefined, (e) => this.emit(e), { gate: this.gate });
    this.pool.setTargets(options.targets ?? []);
    this.pools = new UpstreamPools({ connections: 128, connectTimeoutMs: options.connectTimeoutMs ?? UPSTREAM_DEFAULTS.connectTimeoutMs, timeoutMs: options.timeoutMs ?? UPSTREAM_DEFAULTS.timeoutMs }, options.upstreamTls);
  }

  protected handle(req: IncomingMessage, res: ServerResponse): void {
    void this.serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'internal-error', `cache failed to serve the request: ${(err as Error).message}`, this.nodeId);
      else res.destroy();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const key = `${normalizeHost(req.headers.host ?? '')}${url}`;
    const cacheable = method === 'GET' || method === 'HEAD';
    if (!cacheable) {
      // RFC 9111 4.4: an unsafe method invalidates what is stored for its target.
      if (method !== 'OPTIONS' && method !== 'TRACE') this.store.invalidate(key);
      await this.fromOrigin(req, res, started, key, undefined);
      return;
    }
    const noStore = /no-store/i.test(first(req.headers['cache-control']) ?? '');
    const entry = noStore ? undefined : this.store.lookup(key, req.headers);
    const now = Date.now();
    if (entry !== undefined && !requestWantsRevalidation(req.headers) && currentAge(entry.initialAge, entry.storedAt, now) < entry.lifetime) {
      this.hits += 1;
      this.answerFromEntry(req, res, entry, 'HIT', started);
      return;
    }
    await this.fromOrigin(req, res, started, key, noStore ? undefined : entry, noStore);
  }

  /** Fetches from the origin (conditionally when a stale entry has validators), stores and answers. */
  private async fromOrigin(req: IncomingMessage, res: ServerResponse, started: number, key: string, stale: CacheEntry | undefined, noStore = false): Promise<void> {
    const target = this.pool.pick(0);
    const blocked = target === undefined ? this.pool.blockedByRouting() : undefined;
    if (blocked?.blocked !== undefined) {
      this.stats.finish(502, performance.now() - started);
      sendBlocked(res, this.nodeId, blocked.nodeId, blocked.blocked);
      return;
    }
    if (target === undefined) {
      this.stats.finish(503, performance.now() - started);
      sendError(res, 503, 'no-healthy-upstream', `${this.nodeId} has no origin`, this.nodeId, { 'x-cache': 'MISS' });
      return;
    }
    const verdict = this.gate(this.nodeId, target.nodeId);
    if (!verdict.allowed) {
      this.stats.finish(502, performance.now() - started);
      sendBlocked(res, this.nodeId, target.nodeId, verdict);
      return;
    }
    const method = req.method ?? 'GET';
    const cacheable = method === 'GET' || method === 'HEAD';
    const built = buildForwardHeaders(req.rawHeaders, { remoteAddress: req.socket.remoteAddress ?? '', localPort: req.socket.localPort ?? 0, nodeId: this.nodeId, proto: clientProto(req.socket) });
    if (built.loop) {
      this.stats.finish(508, performance.now() - started);
      sendError(res, 508, 'loop-detected', `request already passed through ${this.nodeId}`, this.nodeId);
      return;
    }
    let headers = built.headers;
    if (cacheable) {
      headers = [];
      for (let i = 0; i < built.headers.length; i += 2) {
        const name = built.headers[i] as string;
        if (!CONDITIONAL.has(name.toLowerCase())) headers.push(name, built.headers[i + 1] as string);
      }
      const etag = first(stale?.headers['etag']);
      const lastModified = first(stale?.headers['last-modified']);
      if (etag !== undefined) headers.push('if-none-match', etag);
      if (lastModified !== undefined) headers.push('if-modified-since', lastModified);
    }
    const framing = bodyFraming(req.rawHeaders);
    const body = framing === 'none' ? null : framing === 'chunked' ? limitedBody(req, this.front.limits.maxBodyBytes) : req;
    // HEAD is fetched as GET so the answer can be stored for both.
    const upstreamMethod = method === 'HEAD' ? 'GET' : method;
    const path = req.url ?? '/';
    target.active += 1;
    try {
      let upstream: Dispatcher.ResponseData;
      try {
        const reason = unforwardableReason(upstreamMethod, path, headers);
        if (reason !== undefined) throw new UnforwardableRequestError(reason);
        upstream = await this.pools.get(target.target).request({
          path,
          method: upstreamMethod as 'GET',
          headers,
          body: body === null || body === req ? body : Readable.from(body),
        });
      } catch (err) {
        this.failed(res, target, classifyUpstreamError(err), started);
        return;
      }
      this.pool.reportSuccess(target);
      const status = upstream.statusCode;
      const originHeaders = upstream.headers as IncomingHttpHeaders;
      prepareResponseHeaders(originHeaders, this.nodeId);
      if (status === 304 && stale !== undefined) {
        await upstream.body.dump();
        this.refresh(stale, originHeaders);
        this.revalidated += 1;
        this.answerFromEntry(req, res, stale, 'REVALIDATED', started);
        return;
      }
      this.misses += 1;
      const storable = cacheable && !noStore && isStorable('GET', req.headers, status, originHeaders);
      originHeaders['x-cache'] = 'MISS';
      await this.relay(req, res, status, originHeaders, upstream.body, storable ? key : undefined, started);
    } finally {
      target.active -= 1;
    }
  }

  /**
   * Answers a failed origin request. Only the origin's own faults count against it (and
   * toward passive ejection); a body over the limit is 413, a request that could not be
   * built is 500, a client that left or was already answered (a body timeout) is not.
   */
  private failed(res: ServerResponse, target: TargetState, failure: UpstreamFailure, started: number): void {
    if (res.writableEnded || res.destroyed || failure.status === 499) {
      if (!res.writableEnded) this.stats.finish(499, performance.now() - started);
      return;
    }
    if (isUpstreamFault(failure)) this.pool.reportFailure(target, failure.message);
    const line = this.tlsLog.line(target.nodeId, failure);
    if (line !== undefined) this.emit({ type: 'log', nodeId: this.nodeId, level: 'error', message: line });
    else if (refusedByUndici(failure)) this.pools.replace(target.target);
    this.stats.finish(failure.status, performance.now() - started);
    const message = isUpstreamFault(failure) ? `${target.nodeId}: ${failure.message}` : `${this.nodeId}: ${failure.message}`;
    sendError(res, failure.status, failureErrorCode(failure), message, this.nodeId, { 'x-cache': 'MISS' }, !isUpstreamFault(failure));
  }

  /** Streams an origin response to the client, keeping a copy when it is to be stored. */
  private async relay(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: IncomingHttpHeaders,
    body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown },
    storeKey: string | undefined,
    started: number,
  ): Promise<void> {
    const onClose = (): void => {
      body.destroy();
    };
    res.once('close', onClose);
    const chunks: Buffer[] = [];
    let size = 0;
    let keep = storeKey !== undefined;
    const head = req.method === 'HEAD';
    try {
      res.writeHead(status, headers as OutgoingHttpHeaders);
      for await (const chunk of body) {
        if (keep) {
          size += chunk.length;
          if (size > this.store.maxEntryBytes) keep = false;
          else chunks.push(chunk);
        }
        if (!head && !res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        if (res.destroyed) throw new Error('client went away');
      }
      res.end();
      this.stats.finish(status, performance.now() - started);
      if (keep && storeKey !== undefined) this.save(req, storeKey, status, headers, Buffer.concat(chunks));
    } catch (err) {
      const failure = classifyUpstreamError(err);
      this.stats.finish(res.destroyed ? 499 : failure.status, performance.now() - started);
      res.destroy();
    } finally {
      res.off('close', onClose);
    }
  }

  private save(req: IncomingMessage, key: string, status: number, headers: IncomingHttpHeaders, body: Buffer): void {
    const stored: IncomingHttpHeaders = { ...headers };
    delete stored['x-cache'];
    delete stored['via'];
    const now = Date.now();
    const lifetime = freshnessLifetime(stored, now, this.defaultTtl);
    const hasValidators = stored['etag'] !== undefined || stored['last-modified'] !== undefined;
    if (lifetime <= 0 && !hasValidators) return;
    const initialAge = Number(first(stored['age']) ?? '0');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.store.put({
      key,
      path,
      status,
      headers: stored,
      body,
      vary: varyKey(first(stored['vary']), req.headers),
      storedAt: now,
      initialAge: Number.isFinite(initialAge) && initialAge > 0 ? initialAge : 0,
      lifetime,
      size: entrySize(stored, body),
    });
  }

  private refresh(entry: CacheEntry, fresh: IncomingHttpHeaders): void {
    const update: IncomingHttpHeaders = { ...fresh };
    delete update['via'];
    entry.headers = mergeNotModified(entry.headers, update);
    entry.storedAt = Date.now();
    const age = Number(first(update['age']) ?? '0');
    entry.initialAge = Number.isFinite(age) && age > 0 ? age : 0;
    entry.lifetime = freshnessLifetime(entry.headers, entry.storedAt, this.defaultTtl);
    this.store.resize(entry, entrySize(entry.headers, entry.body));
  }

  /** Answers from a stored entry, honouring the client's own validators with a 304. */
  private answerFromEntry(req: IncomingMessage, res: ServerResponse, entry: CacheEntry, mark: CacheMark, started: number): void {
    const headers: OutgoingHttpHeaders = { ...entry.headers };
    headers['age'] = String(currentAge(entry.initialAge, entry.storedAt, Date.now()));
    const via = first(entry.headers['via']);
    headers['via'] = via === undefined ? `1.1 ${this.nodeId}` : `${via}, 1.1 ${this.nodeId}`;
    headers['x-cache'] = mark;
    const etag = first(entry.headers['etag']);
    const lastModified = Date.parse(first(entry.headers['last-modified']) ?? '');
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    let conditional = false;
    if (entry.status === 200) {
      if (inm !== undefined) conditional = etag !== undefined && etagMatches(inm, etag);
      else if (ims !== undefined && Number.isFinite(lastModified)) conditional = isNotModified(undefined, ims, '', new Date(lastModified));
    }
    if (conditional) {
      delete headers['content-length'];
      this.stats.finish(304, performance.now() - started);
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers['content-length'] = String(entry.body.length);
    this.stats.finish(entry.status, performance.now() - started);
    res.writeHead(entry.status, headers);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
  }

  setTargets(targets: readonly UpstreamTarget[]): void {
    this.pool.setTargets(targets);
    this.pools.retain(targets);
  }

  purge(path?: string): number {
    return this.store.purge(path);
  }

  override metrics(): NodeMetrics {
    return this.snapshot({
      cache: { hits: this.hits, misses: this.misses, revalidated: this.revalidated, entries: this.store.entries, bytes: this.store.bytes },
      upstreams: this.pool.metrics(),
    });
  }

  /** A stopped cache loses its memory, as a restarted cache process would. */
  protected override async onStop(): Promise<void> {
    this.store.purge();
    this.pool.dispose();
    await this.pools.closeAll();
  }
}
