import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { ServiceStats } from '../metrics/stats.js';
import type { Endpoint, HttpLimits } from '../services/types.js';
import { sendError, writeRawError } from './errors.js';
import { bodyFraming } from './forward.js';
import { ALLOWED_METHODS, inspectRequest, type TargetMode } from './hygiene.js';
import { HTTP_DEFAULTS } from '../../model/defaults.js';
import { safeNormalizeRequestPath } from '../../model/request-path.js';
import { checkingIntervalMs, headerBlockFacts, overflowStatus, resolveLimits, type ResolvedLimits } from './limits.js';
import { SocketRegistry } from './sockets.js';

/** Parser error codes that mean "the client sent a malformed request" (400). */
const MALFORMED = new Set([
  'HPE_INVALID_METHOD',
  'HPE_INVALID_URL',
  'HPE_INVALID_CONSTANT',
  'HPE_INVALID_VERSION',
  'HPE_INVALID_HEADER_TOKEN',
  'HPE_INVALID_CONTENT_LENGTH',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
  'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_INVALID_STATUS',
  'HPE_INVALID_EOF_STATE',
  'HPE_STRICT',
  'HPE_LF_EXPECTED',
  'HPE_CR_EXPECTED',
  'HPE_UNEXPECTED_SPACE',
  'HPE_CLOSED_CONNECTION',
]);

/** What a front end hands each request that passed the hygiene checks. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server with the lab's request hygiene, connection tracking and clean shutdown. */
export interface HttpFrontEnd {
  readonly server: http.Server;
  readonly sockets: SocketRegistry;
  readonly limits: ResolvedLimits;
  listen(host: string, port: number): Promise<Endpoint>;
  close(): Promise<void>;
}

/**
 * Builds an HTTP server that answers bad requests itself before `handler` sees them, so
 * no client can make a service forward something its upstream client library refuses or
 * charge a backend with its own mistake: 400 for malformed ones (Node's strict parser
 * already refuses Content-Length with Transfer-Encoding, duplicate Content-Length and bad
 * chunking; this maps its errors to proper responses instead of a bare close, and adds the
 * checks of `inspectRequest`: one valid Host, the request-target forms), 501 for a
 * transfer coding other than chunked, 505 for a version other than HTTP/1.x, 413 for a
 * declared body over the limit, 414 for a long request line, 431 for a large header
 * block, 408 when the header block, a body gap or the whole request takes too long, 405
 * for CONNECT outside a forward proxy. `OPTIONS *` is answered here (RFC 9110 9.3.7).
 * In `server` mode an absolute-form request (`GET http://host/path`) reaches `handler`
 * in origin-form with `Host` set to the URI's authority (RFC 9112 3.2.2). The process
 * never throws on a client's bytes.
 */
export function createHttpFrontEnd(
  nodeId: string,
  handler: RequestHandler,
  stats: ServiceStats,
  limitsInput?: HttpLimits,
  targetMode: TargetMode | ((socket: Socket) => TargetMode) = 'server',
): HttpFrontEnd {
  const modeOf = typeof targetMode === 'function' ? targetMode : (): TargetMode => targetMode;
  const limits = resolveLimits(limitsInput);
  const server = http.createServer({
    // The request line counts against Node's limit too; the split is checked per request below.
    maxHeaderSize: limits.maxHeaderBytes + limits.maxRequestLineBytes,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headerTimeoutMs,
    connectionsCheckingInterval: checkingIntervalMs(limits),
    keepAliveTimeout: HTTP_DEFAULTS.keepAliveTimeoutMs,
    // `inspectRequest` answers a missing Host itself, with the lab's JSON error body.
    requireHostHeader: false,
  });
  const sockets = new SocketRegistry();
  const refuse = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>): void => {
    stats.finish(status, 0);
    sendError(res, status, code, message, nodeId, headers, true);
  };

  server.on('connection', (socket: Socket) => sockets.add(socket));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    const method = req.method ?? '';
    if (url.length + method.length + 10 > limits.maxRequestLineBytes) {
      refuse(res, 414, 'uri-too-long', `request line longer than ${limits.maxRequestLineBytes} bytes`);
      return;
    }
    const facts = headerBlockFacts(req.rawHeaders);
    if (facts.bytes > limits.maxHeaderBytes) {
      refuse(res, 431, 'headers-too-large', `header block larger than ${limits.maxHeaderBytes} bytes`);
      return;
    }
    if (facts.longestField > limits.maxHeaderFieldBytes) {
      refuse(res, 431, 'headers-too-large', `a header field line is longer than ${limits.maxHeaderFieldBytes} bytes`);
      return;
    }
    const mode = modeOf(req.socket);
    const verdict = inspectRequest({ method, url, httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor, rawHeaders: req.rawHeaders }, mode);
    if (verdict.action === 'refuse') {
      refuse(res, verdict.status, verdict.code, verdict.message);
      return;
    }
    if (verdict.action === 'options-star') {
      // The server as a whole is the target: this node answers for itself and forwards nothing.
      stats.finish(200, 0);
      res.writeHead(200, { allow: ALLOWED_METHODS, 'content-length': 0, 'x-served-by': nodeId });
      res.end();
      return;
    }
    const declared = facts.contentLength;
    if (declared !== undefined && Number(declared) > limits.maxBodyBytes) {
      refuse(res, 413, 'body-too-large', `request body larger than ${limits.maxBodyBytes} bytes`);
      return;
    }
    if (mode === 'server' && (verdict.target.form === 'origin' || verdict.target.form === 'absolute')) {
      // One rule for paths (core/model/request-path.ts): nothing past this line sees `..`, `//` or `%61`.
      const normal = safeNormalizeRequestPath(verdict.target.path);
      if (!normal.ok) {
        refuse(res, 400, 'bad-path', normal.problem);
        return;
      }
      if (verdict.target.form === 'absolute') useAuthority(req, normal.path, verdict.target.raw);
      else req.url = normal.path;
    }
    if (!req.complete && bodyFraming(req.rawHeaders) !== 'none') watchBodyGaps(req, res, limits.bodyIdleTimeoutMs, () => refuse(res, 408, 'body-timeout', `no request body bytes for ${limits.bodyIdleTimeoutMs} ms`));
    handler(req, res);
  });

  if (targetMode === 'server') {
    // A CONNECT to anything but a forward proxy (Node would otherwise drop the connection unanswered).
    server.on('connect', (_req: IncomingMessage, socket: Socket) => {
      stats.finish(405, 0);
      writeRawError(socket, 405, `${nodeId} is not a forward proxy: CONNECT is not served here`, { Allow: ALLOWED_METHODS });
    });
  }

  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const code = err.code ?? '';
    // A response already under way (a bad chunk mid-body) cannot be replaced: cut the connection.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    let status = 400;
    let message = `malformed request (${code || err.message})`;
    if (code === 'HPE_HEADER_OVERFLOW') {
      status = overflowStatus(err.rawPacket, limits.maxRequestLineBytes);
      message = status === 414 ? 'request line too long' : 'request header fields too large';
    } else if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADERS_TIMEOUT') {
      status = 408;
      message = inFlight
        ? `request body not received within ${limits.requestTimeoutMs} ms`
        : `request header block not received within ${limits.headerTimeoutMs} ms`;
    } else if (!MALFORMED.has(code) && !code.startsWith('HPE_')) {
      socket.destroy();
      return;
    }
    stats.finish(status, 0);
    // Mid-request (a body that stopped or broke), answer through the response object, so
    // the service forwarding it sees the client answered and lets go of its upstream.
    if (inFlight) sendError(inFlight, status, status === 408 ? 'request-timeout' : 'bad-request', message, nodeId, undefined, true);
    else writeRawError(socket, status, message);
    socket.setTimeout(2000, () => socket.destroy());
  });

  return {
    server,
    sockets,
    limits,
    listen: (host, port) => listenOn(server, host, port, nodeId),
    async close() {
      await closeServer(server, sockets);
    },
  };
}

/**
 * Turns an absolute-form request into the origin-form one a gateway forwards: the path
 * becomes `req.url`, and `Host` becomes the URI's authority, which overrides any `Host`
 * the client sent (RFC 9112 3.2.2), so routing, cache keys and the upstream all see it.
 */
function useAuthority(req: IncomingMessage, path: string, authority: string): void {
  req.url = path;
  const raw = req.rawHeaders;
  let found = false;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] ?? '').toLowerCase() === 'host') {
      raw[i + 1] = authority;
      found = true;
    }
  }
  if (!found) raw.push('Host', authority);
  req.headers.host = authority;
}

/**
 * Answers 408 when a request body goes silent for `idleMs` (a slow-body client that
 * trickles bytes under the whole-request timeout). The socket's inactivity timer runs
 * only while the body is arriving; Node re-arms it for keep-alive afterwards.
 */
function watchBodyGaps(req: IncomingMessage, res: ServerResponse, idleMs: number, answer: () => void): void {
  const socket = req.socket;
  socket.setTimeout(idleMs);
  const onTimeout = (): void => {
    answer();
    res.once('finish', () => socket.destroy());
  };
  req.once('timeout', onTimeout);
  const stop = (): void => {
    req.off('timeout', onTimeout);
    if (!socket.destroyed) socket.setTimeout(0);
  };
  req.once('end', stop);
  req.once('close', stop);
}

/** Binds a server and resolves its endpoint; the error names the node and the address. */
export function listenOn(server: http.Server | NetServer, host: string, port: number, nodeId: string): Promise<Endpoint> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(new Error(`${nodeId}: cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`${nodeId}: listening on an unexpected address`));
        return;
      }
      resolve({ host: address.address, port: address.port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/** Stops accepting, destroys every open connection and waits for the listener to close. */
export function closeServer(server: http.Server | NetServer, sockets: SocketRegistry): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      sockets.destroyAll();
      resolve();
      return;
    }
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
    sockets.destroyAll();
  });
}
