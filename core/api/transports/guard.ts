import type { IncomingHttpHeaders } from 'node:http';

/** Host names the server answers to: it binds 127.0.0.1 only, and `localhost` is what people type. */
const LOCAL_HOSTNAMES = ['127.0.0.1', 'localhost'] as const;

/** Why a request was refused before reaching the API or the app. */
export interface GuardRefusal {
  status: 403 | 421;
  message: string;
}

/**
 * Whether the Host header names this server. A DNS-rebinding page reaches 127.0.0.1 under
 * its own host name (evil.example:PORT), so anything but our own names is refused.
 */
export function isOwnHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const lower = host.toLowerCase();
  return LOCAL_HOSTNAMES.some((name) => lower === `${name}:${port}`);
}

/** Whether an Origin header is the app's own (`http://127.0.0.1:PORT` or `http://localhost:PORT`). */
export function isOwnOrigin(origin: string, port: number): boolean {
  const lower = origin.toLowerCase();
  return LOCAL_HOSTNAMES.some((name) => lower === `http://${name}:${port}`);
}

/**
 * Checks Host, Origin and Fetch Metadata of a request (HTTP or WebSocket upgrade).
 * A missing Origin is allowed (curl, scripts, same-origin GETs); a present one must be ours,
 * and `null` (sandboxed frames, file://) is not. For the API (`api: true`) the browser's
 * `Sec-Fetch-Site` must also say same-origin (or `none`: typed by the user); the app's
 * pages may be reached from a link on another site, as they change nothing by loading.
 * Returns null when the request may proceed.
 */
export function checkRequestSource(headers: IncomingHttpHeaders, port: number, options: { api: boolean } = { api: true }): GuardRefusal | null {
  if (!isOwnHost(headers.host, port)) {
    return { status: 421, message: `refused: the Host header "${headers.host ?? ''}" is not this server (use http://127.0.0.1:${port}/)` };
  }
  const origin = headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, port)) {
    return { status: 403, message: `refused: requests from the origin "${origin}" are not allowed` };
  }
  const site = headers['sec-fetch-site'];
  if (options.api && site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { status: 403, message: `refused: a ${site} request is not allowed` };
  }
  return null;
}
