import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { ServiceStats } from '../metrics/stats.js';
import type { Endpoint, HttpLimits } from '../services/types.js';
import { sendError, writeRawError } from './errors.js';
import { headerBlockBytes, overflowStatus, resolveLimits, type ResolvedLimits } from './limits.js';
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
 * Builds an HTTP server that answers bad requests itself before `handler` sees them:
 * 400 for malformed ones (Node's strict parser already refuses Content-Length together
 * with Transfer-Encoding, duplicate Content-Length and bad chunking; this maps its errors
 * to proper responses instead of a bare close), 413 for a declared body over the limit,
 * 414 for a long request line, 431 for a large header block. The process never throws on
 * a client's bytes.
 */
export function createHttpFrontEnd(
  nodeId: string,
  handler: RequestHandler,
  stats: ServiceStats,
  limitsInput?: HttpLimits,
): HttpFrontEnd {
  const limits = resolveLimits(limitsInput);
  const server = http.createServer({
    // The request line counts against Node's limit too; the split is checked per request below.
    maxHeaderSize: limits.maxHeaderBytes + limits.maxRequestLineBytes,
    requestTimeout: 120_000,
    headersTimeout: 30_000,
    keepAliveTimeout: 5_000,
  });
  const sockets = new SocketRegistry();

  server.on('connection', (socket: Socket) => sockets.add(socket));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url.length + (req.method?.length ?? 0) + 10 > limits.maxRequestLineBytes) {
      stats.finish(414, 0);
      sendError(res, 414, 'uri-too-long', `request line longer than ${limits.maxRequestLineBytes} bytes`, nodeId, undefined, true);
      return;
    }
    if (headerBlockBytes(req.rawHeaders) > limits.maxHeaderBytes) {
      stats.finish(431, 0);
      sendError(res, 431, 'headers-too-large', `header block larger than ${limits.maxHeaderBytes} bytes`, nodeId, undefined, true);
      return;
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limits.maxBodyBytes) {
      stats.finish(413, 0);
      sendError(res, 413, 'body-too-large', `request body larger than ${limits.maxBodyBytes} bytes`, nodeId, undefined, true);
      return;
    }
    handler(req, res);
  });

  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const code = err.code ?? '';
    // A response already under way (a bad chunk mid-body) cannot be replaced: cut the connection.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
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
      message = 'request not received in time';
    } else if (!MALFORMED.has(code) && !code.startsWith('HPE_')) {
      socket.destroy();
      return;
    }
    stats.finish(status, 0);
    writeRawError(socket, status, message);
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
