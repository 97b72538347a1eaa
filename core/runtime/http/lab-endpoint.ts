import { isIP } from 'node:net';
import type { Endpoint } from '../services/types.js';

/** Raised before any connection to an endpoint that is not a lab listener on loopback. */
export class OutsideLabError extends Error {
  readonly code = 'TOPOLAB_OUTSIDE_LAB';
  constructor(endpoint: Endpoint) {
    super(`${endpoint.host}:${endpoint.port} is not a lab endpoint on loopback; the lab never connects outside the design`);
  }
}

/** Design addresses a kernel lab's namespace host was told to use (see `admitLabAddress`). */
const admitted = new Set<string>();

/**
 * Inside a kernel lab's namespace host only: makes one of the design's addresses (an
 * upstream, a forward proxy's resolved node, a load target) a lab endpoint. The host runs
 * in the lab's own network namespaces, which have no route out of the design, and is told
 * each address by the lab, which takes them from the design; a name is never admitted.
 */
export function admitLabAddress(host: string): void {
  if (isIP(host) !== 0) admitted.add(host.toLowerCase());
}

/**
 * Whether an endpoint is a loopback IP literal (127.0.0.0/8, ::1, ::ffff:127.x): the only
 * places lab services listen (or, in a kernel lab's namespace host, an admitted design
 * address). A name is never one, so no connection the lab opens asks the system resolver
 * (Node calls getaddrinfo only for names).
 */
export function isLabEndpoint(endpoint: Endpoint): boolean {
  const host = endpoint.host;
  const version = isIP(host);
  if (version !== 0 && admitted.has(host.toLowerCase())) return true;
  if (version === 4) return host.startsWith('127.');
  if (version === 6) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}

/**
 * The one gate every lab connection passes (upstream pools, tunnels, the L4 balancer,
 * health checks): throws `OutsideLabError` for anything but a loopback lab endpoint.
 */
export function requireLabEndpoint(endpoint: Endpoint): Endpoint {
  if (!isLabEndpoint(endpoint) || !Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) throw new OutsideLabError(endpoint);
  return endpoint;
}

/** The endpoint of an `http://` or `https://` URL (brackets off an IPv6 host, port 80 or 443 by default). */
export function endpointOfUrl(url: URL): Endpoint {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { host, port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port) };
}
