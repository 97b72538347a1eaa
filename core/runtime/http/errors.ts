import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { BlockedBody, GateBlock } from '../services/types.js';

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

/** Whether a refusal is a filter's (security group, network ACL) rather than routing's. */
export function isFilterBlock(code: GateBlock['code']): boolean {
  return code === 'security-group' || code === 'network-acl';
}

/** The JSON body of a 502 for a flow the design refuses: whether routing or a filter refused, its `code`, who and why. */
function blockedBody(from: string, to: string, block: GateBlock): BlockedBody & { status: number; message: string } {
  const { blockedBy, reason, code } = block;
  return {
    error: isFilterBlock(code) ? 'blocked-by-filter' : 'blocked-by-routing',
    code,
    status: 502,
    message: `${from} cannot reach ${to}: ${reason}`,
    from,
    to,
    blockedBy,
    reason,
  };
}

/** Answers 502 for a flow the design's routing or filters refuse, naming the blocker in a header and the body (with its `code`). */
export function sendBlocked(res: ServerResponse, from: string, to: string, block: GateBlock): void {
  const text = JSON.stringify(blockedBody(from, to, block)) + '\n';
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  res.writeHead(502, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-topolab-blocked-by': block.blockedBy,
  });
  res.end(text);
}

/**
 * The same 502 as `sendBlocked`, written straight to a socket (a CONNECT the design
 * refuses): `x-topolab-blocked-by` and `x-topolab-blocked-code` headers, the body with its `code`.
 */
export function writeRawBlocked(socket: Socket, from: string, to: string, block: GateBlock): void {
  writeRawText(socket, 502, JSON.stringify(blockedBody(from, to, block)) + '\n', { 'x-topolab-blocked-by': block.blockedBy, 'x-topolab-blocked-code': block.code });
}

/** Writes a complete error response straight to a socket (parser errors, CONNECT refusals) and closes it. */
export function writeRawError(socket: Socket, status: number, message: string, extraHeaders: Record<string, string> = {}): void {
  writeRawText(socket, status, JSON.stringify({ error: (REASONS[status] ?? 'error').toLowerCase().replaceAll(' ', '-'), status, message }) + '\n', extraHeaders);
}

/** Writes a complete JSON response (`text`) with `status` straight to a socket and closes it. */
function writeRawText(socket: Socket, status: number, text: string, extraHeaders: Record<string, string>): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(extraHeaders)) head += `${name}: ${value}\r\n`;
  socket.end(head + '\r\n' + text);
  // Give the kernel the bytes, then make sure nothing lingers even if the peer never reads.
  socket.setTimeout(2000, () => socket.destroy());
}
