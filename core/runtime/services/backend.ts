import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Latency } from '../../model/index.js';
import { sendError } from '../http/errors.js';
import { bodyFraming } from '../http/forward.js';
import { HttpServiceBase } from './base.js';
import { sampleLatency } from './latency.js';
import { isNotModified, staticResource } from './static-content.js';
import type { BackendOptions, BackendService } from './types.js';

/**
 * The built-in server app: answers JSON naming itself (node id, designed address, the
 * request as received) with `x-served-by`, serves cacheable `/static/*` with validators,
 * `/health` for checks, and injects latency and errors that can change while running.
 */
export class Backend extends HttpServiceBase implements BackendService {
  readonly kind = 'backend' as const;
  private latency: Latency | undefined;
  private errorRate: number;
  private readonly address: string;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: BackendOptions) {
    super(options, options);
    this.latency = options.latency;
    this.errorRate = clampRate(options.errorRate ?? 0);
    this.address = options.designedAddress ?? '';
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
    const delay = sampleLatency(this.latency);
    let bodyBytes = 0;
    const respond = (): void => {
      if (res.destroyed) return;
      if (this.errorRate > 0 && Math.random() < this.errorRate) {
        this.reply(res, started, 500, JSON.stringify({ error: 'injected-error', node: this.nodeId }) + '\n');
        return;
      }
      if (url.startsWith('/static/')) {
        this.serveStatic(req, res, url, started);
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
      });
      this.reply(res, started, 200, body + '\n');
    };
    const afterBody = (): void => {
      if (delay <= 0) {
        respond();
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        respond();
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

  private serveStatic(req: IncomingMessage, res: ServerResponse, url: string, started: number): void {
    const parsed = new URL(url, 'http://backend');
    const resource = staticResource(parsed.pathname, parsed.searchParams);
    const headers = {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': `public, max-age=${resource.maxAgeSeconds}`,
      etag: resource.etag,
      'last-modified': resource.lastModified.toUTCString(),
      'x-served-by': this.nodeId,
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

  private reply(res: ServerResponse, started: number, status: number, body: string): void {
    this.stats.finish(status, performance.now() - started);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-served-by': this.nodeId,
    });
    res.end(body);
  }

  protected override async onStop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function clampRate(rate: number): number {
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 0;
}
