/**
 * Traffic through a running lab: load runs and single requests, sent to a node's loopback
 * port (or through a forward proxy) once the design's routing allows the flow, or to a DNS
 * name of the design, resolved through the lab's DNS. Both end when the lab stops.
 */
import { runLoad } from '../load/generator.js';
import { sendOne, type SingleRequestResult } from '../load/single.js';
import { distinctSourcesSupported, loopbackSources } from '../load/sources.js';
import type { LoadCandidate, LoadResult } from '../load/types.js';
import { messageOf, type LabContext } from './context.js';
import { dnsTargetOf } from './dns-hooks.js';
import { firstReachable } from './lab-dns.js';
import { LabError, type LabLoadOptions, type LabRequestOptions } from './lab-types.js';
import { refusalOf, refusedResult } from './refusal.js';
import { entryBlock, runningTarget, targetOf } from './targets.js';
import { httpsTargetOf, type ClientTls } from './lab-tls.js';

/** Sends load to a node, from a node of the design when `from` is given. */
export async function sendLoad(ctx: LabContext, options: LabLoadOptions): Promise<LoadResult> {
  ctx.requireRunning();
  const target: { url: string; viaProxyTo?: string; address?: string; candidates?: () => Promise<LoadCandidate[]>; tls?: ClientTls } = options.https ? httpsTarget(ctx, options) : (dnsTargetOf(ctx, options) ?? targetOf(ctx, options));
  if (options.sources !== undefined && options.sources > 1 && !distinctSourcesSupported()) {
    throw new LabError('bad-input', 'distinct source addresses need Linux (127.0.0.0/8 on the loopback interface)');
  }
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  ctx.lifetime.signal.addEventListener('abort', abort, { once: true });
  options.signal?.addEventListener('abort', abort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const run = runLoad({
    url: target.url,
    ...(target.viaProxyTo ? { viaProxyTo: target.viaProxyTo } : {}),
    ...pickDefined({ address: target.address, candidates: target.candidates, tls: target.tls }),
    ...pickDefined({ path: options.path, method: options.method, headers: options.headers, requests: options.requests, durationSeconds: options.durationSeconds, concurrency: options.concurrency, onProgress: options.onProgress, rps: options.rps, onRequest: options.onRequest }),
    ...(options.sources !== undefined && options.sources > 1 ? { sourceAddresses: loopbackSources(options.sources) } : {}),
    signal: controller.signal,
  });
  ctx.pending.add(run);
  try {
    return await run;
  } finally {
    ctx.pending.delete(run);
    ctx.lifetime.signal.removeEventListener('abort', abort);
    options.signal?.removeEventListener('abort', abort);
  }
}

/** Sends one request and returns what came back, with timings and the served-by chain. */
export async function sendRequest(ctx: LabContext, options: LabRequestOptions): Promise<SingleRequestResult> {
  ctx.requireRunning();
  if (options.target !== undefined && options.via === undefined) throw new LabError('bad-input', 'target needs via: it is what a forward proxy is asked for');
  // A DNS name: the first answered address that takes a connection, as a browser would.
  if (options.https) {
    const secure = httpsTarget(ctx, options);
    const result = await sendOne({ url: secure.url, tls: secure.tls, ...pickDefined({ path: options.path, method: options.method, headers: options.headers, body: options.body }), signal: ctx.lifetime.signal });
    const blocked = refusalOf(result);
    return blocked ? { ...result, blocked } : result;
  }
  const named = dnsTargetOf(ctx, options);
  if (!named) {
    // A first leg the design refuses (as it runs now: faults and live edits included) is the
    // design's answer, not a failure of the call: reported as such, nothing sent.
    runningTarget(ctx, options.to);
    const block = entryBlock(ctx, options);
    if (block) return refusedResult(block);
  }
  const target = named?.candidates ? { url: await firstReachable(named.candidates).catch((e: unknown) => Promise.reject(new LabError('failed', messageOf(e)))) } : (named ?? targetOf(ctx, options));
  let viaProxyTo = target.viaProxyTo;
  let path = options.path;
  if (options.target !== undefined) {
    let url: URL;
    try {
      url = new URL(options.target);
    } catch {
      throw new LabError('bad-input', `target "${options.target}" is not an absolute URL`);
    }
    viaProxyTo = url.origin;
    path = `${url.pathname}${url.search}`;
  }
  const result = await sendOne({
    url: target.url,
    ...(viaProxyTo ? { viaProxyTo } : {}),
    ...pickDefined({ path, method: options.method, headers: options.headers, body: options.body }),
    signal: ctx.lifetime.signal,
  });
  const blocked = refusalOf(result);
  return blocked ? { ...result, blocked } : result;
}

/**
 * `to`'s HTTPS listener (after the same routing check as plain traffic, on the designed
 * HTTPS port): a node id only, not through a forward proxy (CONNECT is not sent).
 */
function httpsTarget(ctx: LabContext, options: LabLoadOptions | LabRequestOptions): { url: string; tls: ClientTls; address: string } {
  if (options.via !== undefined) throw new LabError('bad-input', 'https through a forward proxy (CONNECT) is not sent by the lab: send to the node itself');
  const secure = httpsTargetOf(ctx, options.to, options.headers);
  if (options.from !== undefined) {
    if (!ctx.topology.nodes.some((n) => n.id === options.from)) throw new LabError('not-found', `"${options.from}" is not a node of this design`);
    const port = ctx.running.get(options.to)?.spec.tls?.port;
    const verdict = ctx.requireGate().gate(options.from, options.to, port !== undefined ? { port } : undefined);
    if (!verdict.allowed) {
      const refusal = { from: options.from, to: options.to, blockedBy: verdict.blockedBy, code: verdict.code, reason: verdict.reason };
      throw new LabError('blocked', `${options.from} cannot reach ${options.to} over HTTPS in the design: blocked by ${verdict.blockedBy} (${verdict.code}): ${verdict.reason}`, refusal);
    }
  }
  return secure;
}

function pickDefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
