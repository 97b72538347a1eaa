import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, type ApiErrorBody } from '../contract/index.js';
import type { TopolabService } from '../service.js';
import { BodyBudget, BodyQueueFullError, BodyTooLargeError, MAX_BODY_BYTES, readBody } from './body.js';
import type { CallReply, ServerEventFrame } from './frames.js';
import { checkRequestSource } from './guard.js';
import { serveStatic, securityHeaders } from './static.js';
import { httpStatusFor } from './status.js';
import { SubscriptionSet } from './subscriptions.js';

/** Options of the HTTP + WebSocket transport. */
export interface HttpServerOptions {
  service: TopolabService;
  /** Folder of the built renderer (dist/renderer); a page saying how to build is served when it is missing. */
  rendererRoot: string;
  /** 0 picks a free port. */
  port?: number;
  /** Largest accepted request body in bytes (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Bytes of large request bodies handled at once (default: one body of the largest size). */
  bodyBudgetBytes?: number;
}

/** A running server. `close()` stops it; the service is the caller's to close. */
export interface RunningHttpServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Path prefix of calls: `POST /api/call/<method>`. */
export const CALL_PATH = '/api/call/';
/** Path of the events WebSocket. */
export const EVENTS_PATH = '/api/events';
/** Events are dropped for a WebSocket client this far behind, rather than buffering without bound. */
const MAX_WS_BUFFERED = 8 * 1024 * 1024;
/** Clients only send subscribe frames; anything bigger is abuse. */
const MAX_WS_FRAME = 64 * 1024;

/**
 * Serves the renderer and the API on 127.0.0.1 only: `POST /api/call/<method>` with a JSON
 * body answers `{ result }` or `{ error }`, and `/api/events` is a WebSocket of event frames.
 * Every request and upgrade is checked for our own Host and Origin first (DNS rebinding,
 * cross-site calls).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { service, rendererRoot } = options;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const budget = new BodyBudget(options.bodyBudgetBytes ?? maxBody);
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME });

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, new ApiError('failed', error instanceof Error ? error.message : String(error)).toBody());
      else res.destroy();
    });
  });
  // Slow or stuck clients must not hold sockets forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(securityHeaders(port))) res.setHeader(name, value);
    const pathname = pathnameOf(req);
    const refusal = checkRequestSource(req.headers, port, { api: pathname === null || pathname === '/api' || pathname.startsWith('/api/') });
    if (refusal) {
      req.resume();
      sendError(res, refusal.status, { code: 'forbidden', message: refusal.message });
      return;
    }
    if (pathname === null) {
      req.resume();
      sendError(res, 400, { code: 'bad-input', message: 'the request target is not a valid path' });
      return;
    }
    if (pathname.startsWith(CALL_PATH)) return handleCall(req, res, pathname.slice(CALL_PATH.length));
    if (pathname === EVENTS_PATH) {
      req.resume();
      res.setHeader('Upgrade', 'websocket');
      sendError(res, 426, { code: 'bad-input', message: `${EVENTS_PATH} is a WebSocket: connect with an Upgrade request` });
      return;
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      req.resume();
      sendError(res, 404, { code: 'not-found', message: `no API at ${pathname}; calls are POST ${CALL_PATH}<method>` });
      return;
    }
    await serveStatic(req, res, rendererRoot, pathname);
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse, rawMethod: string): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      sendError(res, 405, { code: 'bad-input', message: `calls are POST requests, not ${req.method ?? '?'}` });
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      sendError(res, 415, { code: 'bad-input', message: 'the body of a call must be JSON (Content-Type: application/json)' });
      return;
    }
    const tooLarge = (error: BodyTooLargeError): void => {
      res.setHeader('Connection', 'close');
      sendError(res, 413, { code: 'bad-input', message: `${error.message}; a topology text may have at most ${Math.floor(maxBody / 2)} characters` });
    };
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (declared !== undefined && declared > maxBody) {
      tooLarge(new BodyTooLargeError(maxBody));
      return;
    }
    // A large body waits for its share of memory before a byte of it is read, and keeps it until answered.
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    let release: () => void;
    try {
      release = await budget.acquire(declared, gone.signal);
    } catch (error) {
      if (error instanceof BodyQueueFullError) {
        res.setHeader('Retry-After', '1');
        sendError(res, 503, { code: 'failed', message: error.message });
      }
      return;
    }
    res.once('close', release);
    let input: unknown;
    try {
      // Only the text survives this block: the buffer and the JSON string go as soon as they are parsed.
      const body = await readBody(req, maxBody);
      if (body.length > 0) input = JSON.parse(body.toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        tooLarge(error);
        return;
      }
      if (error instanceof SyntaxError) {
        sendError(res, 400, { code: 'bad-input', message: `the request body is not valid JSON: ${error.message}` });
        return;
      }
      throw error;
    }
    let method: string;
    try {
      method = decodeURIComponent(rawMethod);
    } catch {
      sendError(res, 404, { code: 'unknown-method', message: `unknown method "${rawMethod}"` });
      return;
    }
    let reply: CallReply;
    let status = 200;
    try {
      reply = { result: await service.callUnchecked(method, input) };
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('failed', error instanceof Error ? error.message : String(error));
      reply = { error: apiError.toBody() };
      status = httpStatusFor(apiError.code);
    }
    let text: string;
    try {
      text = JSON.stringify(reply);
    } catch (error) {
      sendError(res, 500, { code: 'failed', message: `the result of ${method} cannot be sent as JSON: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    sendJson(res, status, text);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const pathname = pathnameOf(req);
    const refusal = pathname === EVENTS_PATH ? checkRequestSource(req.headers, port) : { status: 404 as const, message: `no WebSocket at ${pathname ?? '(an invalid path)'}` };
    if (refusal) {
      const body = JSON.stringify({ error: { code: refusal.status === 404 ? 'not-found' : 'forbidden', message: refusal.message } });
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 404 ? 'Not Found' : refusal.status === 421 ? 'Misdirected Request' : 'Forbidden'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachEvents(ws));
  });

  function attachEvents(ws: WebSocket): void {
    const send = (frame: ServerEventFrame): void => {
      if (ws.readyState !== ws.OPEN) return;
      if ('event' in frame && ws.bufferedAmount > MAX_WS_BUFFERED) return;
      ws.send(JSON.stringify(frame));
    };
    const subscriptions = new SubscriptionSet(service, send);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        send({ error: { code: 'bad-input', message: 'frames are JSON text' } });
        return;
      }
      let frame: unknown;
      try {
        frame = JSON.parse(String(data));
      } catch {
        send({ error: { code: 'bad-input', message: 'a frame is JSON: { "subscribe": "event.name" }' } });
        return;
      }
      subscriptions.handle(frame);
    });
    ws.on('close', () => subscriptions.close());
    ws.on('error', () => subscriptions.close());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The path of a request, or null when its target does not parse (which must not throw in an event handler). */
function pathnameOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  } catch {
    return null;
  }
}

function sendError(res: ServerResponse, status: number, error: ApiErrorBody): void {
  sendJson(res, status, JSON.stringify({ error }));
}

function sendJson(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
