import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { UnforwardableRequestError, unforwardableReason } from './forwardable.js';
import { responseHeaderList } from './headers.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';

/** Raised inside a streamed request body that grew past the limit (answered 413). */
export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** Aborts an upstream request because the client went away (never the upstream's fault). */
export class ClientGoneError extends Error {
  readonly code = 'CLIENT_GONE';
  constructor() {
    super('client went away');
  }
}

/** Streams a request body, failing once it exceeds `limit` bytes (for chunked bodies with no declared length). */
export async function* limitedBody(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

/** How the request body is framed, learned from its raw headers. */
export type BodyFraming = 'none' | 'length' | 'chunked';

/** Body framing from raw headers without building `req.headers`. */
export function bodyFraming(rawHeaders: readonly string[]): BodyFraming {
  let framing: BodyFraming = 'none';
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return 'chunked';
    if (name.length === 14 && name.toLowerCase() === 'content-length' && rawHeaders[i + 1] !== '0') framing = 'length';
  }
  return framing;
}

/** The outcome of one upstream attempt. */
export type ForwardOutcome =
  | { ok: true; status: number; bytes: number }
  | { ok: false; failure: UpstreamFailure; headersSent: boolean };

/** One upstream attempt's parameters. */
export interface ForwardRequest {
  res: ServerResponse;
  method: string;
  path: string;
  headers: string[];
  body: IncomingMessage | AsyncIterable<Buffer> | null;
  /** This hop's node id (for `Via`). */
  nodeId: string;
  /** Response header overrides (lower-case names; empty value removes). */
  responseHeaders?: Readonly<Record<string, string>>;
  /** Last look at the flat response headers before they are written (sticky cookies). */
  onHeaders?: (status: number, headers: string[]) => void;
  done: (outcome: ForwardOutcome) => void;
}

/** Where a response keeps the handler forwarding into it (one at a time: a retry follows a finished attempt). */
const HANDLER = Symbol('forwardHandler');
type HandledResponse = ServerResponse & { [HANDLER]?: ForwardHandler };

function onClientClose(this: ServerResponse): void {
  (this as HandledResponse)[HANDLER]?.clientClosed();
}

function onClientDrain(this: ServerResponse): void {
  (this as HandledResponse)[HANDLER]?.clientDrained();
}

/**
 * An undici dispatch handler that streams the upstream response straight into the client
 * response with backpressure (pausing the upstream when the client is slow), and aborts
 * the upstream request when the client goes away. It uses undici's raw-header callbacks
 * (`onHeaders` with Buffers) on purpose: the newer `onResponseStart` API parses every
 * response into an object first, which a proxy only turns back into a list. One object
 * per request, no closures.
 */
class ForwardHandler implements Dispatcher.DispatchHandler {
  private abortUpstream: ((err?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private status = 0;
  private bytes = 0;
  private finished = false;
  /** The response's declared body length (-1: none, or chunked). */
  private declared = -1;
  /** The whole body, held back to go out with the end of the response (see `onData`). */
  private last: Buffer | undefined;

  /** While `dispatch` runs, an outcome is reported on a microtask: callers never see `done` re-entrantly. */
  dispatching = true;

  constructor(private readonly request: ForwardRequest) {
    // Module-level listeners find their handler on the response: no closure per request.
    (request.res as HandledResponse)[HANDLER] = this;
    // `on`, not `once`: `finish` takes it off again, and `once` would wrap it in a new closure per request.
    request.res.on('close', onClientClose);
  }

  /** The client went away: abort the upstream request unless it already finished. */
  clientClosed(): void {
    if (!this.finished) this.abortUpstream?.(new ClientGoneError());
  }

  /** The client drained its buffer: let undici read on. */
  clientDrained(): void {
    this.resumeUpstream?.();
  }

  private report(outcome: ForwardOutcome): void {
    if (this.dispatching) queueMicrotask(() => this.request.done(outcome));
    else this.request.done(outcome);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortUpstream = abort;
    if (this.request.res.destroyed) abort(new ClientGoneError());
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    this.status = statusCode;
    this.resumeUpstream = resume;
    const { res } = this.request;
    const headers = responseHeaderList(rawHeaders, this.request.nodeId, this.request.responseHeaders);
    this.request.onHeaders?.(statusCode, headers);
    this.declared = declaredLength(headers);
    try {
      res.writeHead(statusCode, headers);
    } catch (err) {
      // A header Node refuses to send on is an invalid upstream response, unless the
      // design's own response-header rewrite is what HTTP forbids (not the upstream's fault).
      const overrides = Object.entries(this.request.responseHeaders ?? {}).flat();
      const reason = unforwardableReason('GET', '/', overrides);
      const error = reason !== undefined ? new UnforwardableRequestError(`the response cannot be sent on: a response header rule is invalid (${reason})`, true) : Object.assign(err as Error, { code: 'HPE_INVALID_HEADER_TOKEN' });
      this.abortUpstream?.(error);
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.bytes === this.declared && this.last === undefined) {
      // The body is complete (undici has checked the length): undici calls `onComplete`
      // next, in this same parse, so the body goes out with the end of the response in
      // one `res.end(chunk)`: one synchronous cork and flush (one writev, one TLS record)
      // instead of `write` (which corks until the next tick) followed by `end`.
      this.last = chunk;
      return true;
    }
    if (this.request.res.write(chunk)) return true;
    this.request.res.once('drain', onClientDrain);
    return false;
  }

  onComplete(): void {
    this.finish();
    const last = this.last;
    this.last = undefined;
    if (last !== undefined) this.request.res.end(last);
    else this.request.res.end();
    this.report({ ok: true, status: this.status, bytes: this.bytes });
  }

  onError(err: Error): void {
    if (this.finished) return;
    this.finish();
    this.last = undefined;
    this.report({ ok: false, failure: classifyUpstreamError(err), headersSent: this.request.res.headersSent });
  }

  private finish(): void {
    this.finished = true;
    this.request.res.off('close', onClientClose);
  }
}

/** The `content-length` of a flat, lower-case response header list (-1 when absent or not a number). */
function declaredLength(headers: readonly string[]): number {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'content-length') {
      const value = headers[i + 1] ?? '';
      return /^\d{1,15}$/.test(value) ? Number(value) : -1;
    }
  }
  return -1;
}

/**
 * Sends one request to an upstream pool and streams the answer to the client; `done`
 * reports the outcome exactly once, never synchronously (a chain of instant failures must
 * not grow the stack). A request undici would refuse to build is never handed to it.
 */
export function forwardTo(dispatcher: Dispatcher, request: ForwardRequest): void {
  const handler = new ForwardHandler(request);
  const reason = unforwardableReason(request.method, request.path, request.headers);
  try {
    if (reason !== undefined) throw new UnforwardableRequestError(reason);
    dispatcher.dispatch(
      {
        path: request.path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body === null || request.body instanceof Readable ? request.body : Readable.from(request.body),
      },
      handler,
    );
  } catch (err) {
    handler.onError(err as Error);
  } finally {
    handler.dispatching = false;
  }
}
