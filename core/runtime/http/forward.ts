import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { prepareResponseHeaders } from './headers.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';

/** Raised inside a streamed request body that grew past the limit (answered 413). */
export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
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
  | { ok: false; failure: UpstreamFailure; headersSent: boolean; tooLarge: boolean };

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
  /** Last look at the response headers before they are written (sticky cookies, cache marks). */
  onHeaders?: (status: number, headers: IncomingHttpHeaders) => void;
  done: (outcome: ForwardOutcome) => void;
}

/**
 * An undici dispatch handler that streams the upstream response straight into the client
 * response with backpressure (pausing the upstream when the client is slow), and aborts
 * the upstream request when the client goes away. One object per request, nothing else.
 */
class ForwardHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private status = 0;
  private bytes = 0;
  private finished = false;
  private readonly onClientClose = (): void => {
    if (!this.finished && this.controller !== undefined && !this.controller.aborted) {
      this.controller.abort(new Error('client went away'));
    }
  };
  private readonly onDrain = (): void => this.controller?.resume();

  constructor(private readonly request: ForwardRequest) {
    request.res.once('close', this.onClientClose);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.request.res.destroyed) controller.abort(new Error('client went away'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    const { res } = this.request;
    prepareResponseHeaders(headers, this.request.nodeId, this.request.responseHeaders);
    this.request.onHeaders?.(statusCode, headers);
    try {
      res.writeHead(statusCode, headers as OutgoingHttpHeaders);
    } catch (err) {
      // A header value Node refuses to send on is an invalid upstream response.
      const error = err as Error & { code?: string };
      error.code = 'HPE_INVALID_HEADER_TOKEN';
      this.controller?.abort(error);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
    if (!this.request.res.write(chunk)) {
      controller.pause();
      this.request.res.once('drain', this.onDrain);
    }
  }

  onResponseEnd(): void {
    this.finish();
    this.request.res.end();
    this.request.done({ ok: true, status: this.status, bytes: this.bytes });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.finish();
    const tooLarge = err instanceof BodyTooLargeError;
    this.request.done({ ok: false, failure: classifyUpstreamError(err), headersSent: this.request.res.headersSent, tooLarge });
  }

  private finish(): void {
    this.finished = true;
    this.request.res.off('close', this.onClientClose);
  }
}

/** Sends one request to an upstream pool and streams the answer to the client; `done` reports the outcome. */
export function forwardTo(dispatcher: Dispatcher, request: ForwardRequest): void {
  const handler = new ForwardHandler(request);
  try {
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
    handler.onResponseError(undefined as unknown as Dispatcher.DispatchController, err as Error);
  }
}
