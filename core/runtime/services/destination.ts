import { formatIp, safeParseIp, type IpAddress } from '../../cidr/address.js';
import { makeBlock } from '../../cidr/block.js';
import { classifyBlock } from '../../cidr/ranges.js';
import { decideHost, normalizeHostName, type HostPolicy } from './host-policy.js';
import type { ConnectGate, Endpoint, GateBlock, LabResolver } from './types.js';

/**
 * Where a forward-proxy request goes. `lab`: a lab node's loopback endpoint, the only
 * place the proxy ever connects to. `internet`: allowed, outside the design, answered by
 * the lab's internet stand-in (no connection). `refused`: answered with `status`.
 */
export type Destination =
  | { kind: 'lab'; nodeId: string; endpoint: Endpoint }
  | { kind: 'internet'; host: string; port: number }
  | { kind: 'refused'; status: 400 | 403 | 502; code: string; message: string; block?: GateBlock; to?: string };

/** What the decision needs from the proxy. */
export interface DestinationContext {
  nodeId: string;
  policy: HostPolicy;
  labAddress: LabResolver;
  gate: ConnectGate;
}

/**
 * Any globally routable address stands for "the internet" when the design's routing is
 * asked whether the proxy may reach a destination known only by name: the trace looks at
 * routes and filters, and no connection is made to it (or to anything else outside the lab).
 */
export const INTERNET_PROBE_ADDRESS = '8.8.8.8';

/**
 * The canonical form of a request's host, as a resolver would use it: WHATWG URL host
 * parsing turns the IPv4 spellings that inet_aton accepts (`2130706433`, `0177.0.0.1`,
 * `0x7f.1`, `127.1`) into dotted decimal, compresses IPv6, lower-cases names and decodes
 * percent-escapes. Policy and lab lookup then see the one address the spelling means,
 * so no spelling slips past a deny list. `undefined` for a host WHATWG refuses.
 */
export function canonicalHost(host: string): string | undefined {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    return normalizeHostName(new URL(`http://${bracketed}/`).hostname);
  } catch {
    return undefined;
  }
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:a.b.c.d`), else the address itself. */
function unmapped(ip: IpAddress): IpAddress {
  return ip.version === 6 && ip.value >> 32n === 0xffffn ? { version: 4, value: ip.value & 0xffffffffn } : ip;
}

/**
 * Hosts that mean the proxy's own machine: `localhost` names (RFC 6761 6.3), loopback,
 * and 0.0.0.0/8 and `::` (connecting to them reaches the local host on Linux).
 */
function meansThisHost(host: string, ip: IpAddress | undefined): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (ip === undefined) return false;
  const plain = unmapped(ip);
  if (plain.version === 4) return plain.value >> 24n === 0n || plain.value >> 24n === 127n;
  return plain.value === 0n || plain.value === 1n;
}

/** What kind of address space an address lies in (`public`, `private`, `loopback`, ...). */
function rangeOf(ip: IpAddress): string {
  const plain = unmapped(ip);
  return classifyBlock(makeBlock(plain.version, plain.value, plain.version === 4 ? 32 : 128)).kind;
}

/**
 * Decides where a forward-proxy request for `rawHost:port` goes, in this order: hosts
 * that mean the proxy's own machine (loopback, `localhost`, the unspecified address) are
 * always refused (403, like Squid's `to_localhost`); then the allow/deny policy (403); a
 * lab node by designed address or node id goes to its lab endpoint once the design's
 * routing allows it (502 naming the blocker otherwise), and to nothing (502, connection
 * refused) on a port the design does not give it; a private or special-purpose address no
 * node has is unreachable (502); anything else allowed is the internet, reached only if
 * the design routes the proxy there, and answered by the stand-in. No name is ever
 * resolved: a name is a lab node id or it is the internet.
 */
export function decideDestination(rawHost: string, port: number, context: DestinationContext): Destination {
  const host = canonicalHost(rawHost);
  if (host === undefined || host === '') return { kind: 'refused', status: 400, code: 'bad-host', message: `"${rawHost.slice(0, 200)}" is not a host` };
  const ip = safeParseIp(host);
  const range = ip === undefined ? undefined : rangeOf(ip);
  const shown = ip === undefined ? host : formatIp(ip);
  if (meansThisHost(host, ip)) {
    return { kind: 'refused', status: 403, code: 'forbidden', message: `${shown} is this host itself (loopback), which the proxy always refuses` };
  }
  const lab = context.labAddress(shown, port);
  const decision = decideHost(context.policy, shown, ip, lab !== undefined);
  if (!decision.allowed) return { kind: 'refused', status: 403, code: 'forbidden', message: decision.reason };
  if (lab !== undefined) {
    if (!('endpoint' in lab)) {
      const message =
        lab.listensOn === port
          ? `${lab.nodeId} is a forward proxy: the lab does not chain forward proxies`
          : `${lab.nodeId} does not listen on port ${port} in the design (it listens on ${lab.listensOn}): connection refused`;
      return { kind: 'refused', status: 502, code: 'connection-refused', message };
    }
    const verdict = context.gate(context.nodeId, lab.nodeId, { port });
    if (!verdict.allowed) return { kind: 'refused', status: 502, code: 'blocked-by-routing', message: verdict.reason, block: verdict, to: lab.nodeId };
    return { kind: 'lab', nodeId: lab.nodeId, endpoint: lab.endpoint };
  }
  if (range !== undefined && range !== 'public' && range !== 'documentation') {
    return { kind: 'refused', status: 502, code: 'unreachable', message: `no node of the design has ${shown} (a ${range} address), so nothing answers it` };
  }
  const verdict = context.gate(context.nodeId, ip === undefined ? INTERNET_PROBE_ADDRESS : shown, { port });
  if (!verdict.allowed) {
    const message = `${context.nodeId} cannot reach the internet: ${verdict.reason}`;
    return { kind: 'refused', status: 502, code: 'blocked-by-routing', message, block: { ...verdict, reason: message }, to: `${shown}:${port}` };
  }
  return { kind: 'internet', host: shown, port };
}
