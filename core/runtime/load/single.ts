import { Client } from 'undici';
import { headerListItems } from '../http/headers.js';
import { endpointOfUrl, isLabEndpoint } from '../http/lab-endpoint.js';
import type { SingleRequestResult } from '../../api/contract/lab-results.js';
import type { RequestSpec } from './types.js';

/** One request, as the request inspector sends it. */
export interface SingleRequestOptions extends RequestSpec {
  localAddress?: string;
  timeoutMs?: number;
  /** Bytes of the body returned (the rest is read and dropped). Default 64 KiB. */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

/** What came back, with timings and the path it took through the lab (the contract's shape). */
export type { SingleRequestResult };

/** Sends one request on a fresh connection and closes it; never throws for network failures. */
export async function sendOne(options: SingleRequestOptions): Promise<SingleRequestResult> {
  const url = new URL(options.url);
  const path = options.path ?? '/';
  const requestPath = options.viaProxyTo !== undefined ? new URL(path, options.viaProxyTo).href : path;
  const limit = options.maxBodyBytes ?? 64 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const requested = new URL(requestPath, url.origin).href;
  if (!isLabEndpoint(endpointOfUrl(url))) {
    const empty = { status: 0, headers: {}, body: '', bodyBytes: 0, truncated: false, timing: { headersMs: 0, totalMs: 0 }, servedBy: [], via: [] };
    return { ...empty, error: `TOPOLAB_OUTSIDE_LAB: ${url.host} is not a lab endpoint on loopback; the lab sends traffic only to its own nodes` };
  }
  const client = new Client(url.origin, {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs, ...(options.tls ? { ca: options.tls.ca, servername: options.tls.servername } : {}) },
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const started = performance.now();
  try {
    const response = await client.request({
      path: requestPath,
      method: (options.method ?? 'GET').toUpperCase() as 'GET',
      headers: options.headers ?? {},
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const headersMs = performance.now() - started;
    const chunks: Buffer[] = [];
    let kept = 0;
    let bodyBytes = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bodyBytes += chunk.length;
      if (kept < limit) {
        const part = chunk.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.length;
      }
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: response.statusCode,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      bodyBytes,
      truncated: bodyBytes > kept,
      timing: { headersMs: round(headersMs), totalMs: round(performance.now() - started) },
      servedBy: headerListItems(headers['x-served-by']),
      via: headerListItems(headers['via']),
      url: requested,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'unknown');
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 0,
      headers: {},
      body: '',
      bodyBytes: 0,
      truncated: false,
      timing: { headersMs: 0, totalMs: round(performance.now() - started) },
      servedBy: [],
      via: [],
      url: requested,
      error: `${code}: ${message}`,
    };
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
