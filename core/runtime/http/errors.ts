import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { BlockedBody } from '../services/types.js';

/** Reason phrases for the statuses the lab itself produces. */
export const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  508: 'Loop Detected',
};

/** The JSON body of every error the lab produces: a stable code and a sentence. */
export interface ErrorBody {
  error: string;
  status: number;
  message: string;
  node: string;
}

/**
 * Answers an error as JSON unless a response is already under way (then the connection is
 * cut, the only honest signal left). `close` asks the client to drop the connection, for
 * errors after which the rest of the request cannot be trusted.
 */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  node: string,
  extraHeaders?: Record<string, string>,
  close = false,
): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body: ErrorBody = { error: code, status, message, node };
  const text = JSON.stringify(body) + '\n';
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...extraHeaders,
  };
  if (close) headers['connection'] = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

/** Answers 502 for a flow the design's routing refuses, naming the blocker in a header and the body. */
export function sendBlocked(res: ServerResponse, from: string, to: string, blockedBy: string, reason: string): void {
  const body: BlockedBody & { status: number; message: string } = {
    error: 'blocked-by-routing',
    status: 502,
    message: `${from} cannot reach ${to}: ${reason}`,
    from,
    to,
    blockedBy,
    reason,
  };
  const text = JSON.stringify(body) + '\n';
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  res.writeHead(502, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-topolab-blocked-by': blockedBy,
  });
  res.end(text);
}

/** Writes a complete error response straight to a socket (parser errors, CONNECT refusals) and closes it. */
export function writeRawError(socket: Socket, status: number, message: string, extraHeaders: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify({ error: (REASONS[status] ?? 'error').toLowerCase().replaceAll(' ', '-'), status, message }) + '\n';
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(extraHeaders)) head += `${name}: ${value}\r\n`;
  socket.end(head + '\r\n' + text);
  // Give the kernel the bytes, then make sure nothing lingers even if the peer never reads.
  socket.setTimeout(2000, () => socket.destroy());
}
