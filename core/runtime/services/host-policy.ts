import { safeParseIp, type IpAddress } from '../../cidr/address.js';
import { containsAddress, makeBlock, safeParseCidr, type CidrBlock } from '../../cidr/block.js';

/** One allow/deny entry. */
export type HostMatcher =
  | { kind: 'name'; name: string }
  | { kind: 'wildcard'; suffix: string }
  | { kind: 'cidr'; block: CidrBlock };

/** A compiled allow/deny policy. */
export interface HostPolicy {
  allow: HostMatcher[];
  deny: HostMatcher[];
}

/** A forward-proxy decision: allowed, or refused with a sentence saying why. */
export type HostDecision = { allowed: true } | { allowed: false; reason: string };

/** Lower case, no trailing dot, no IPv6 brackets: `API.Example.COM.` -> `api.example.com`. */
export function normalizeHostName(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** Parses one entry: `*.domain` wildcard, a CIDR or single address, else an exact host name. */
export function compileMatcher(entry: string): HostMatcher {
  const text = normalizeHostName(entry);
  if (text.startsWith('*.')) return { kind: 'wildcard', suffix: text.slice(1) };
  const ip = safeParseIp(text);
  if (ip !== undefined) return { kind: 'cidr', block: makeBlock(ip.version, ip.value, ip.version === 4 ? 32 : 128) };
  if (text.includes('/')) {
    const parsed = safeParseCidr(text);
    if (parsed.ok) return { kind: 'cidr', block: parsed.block };
    // `10.0.0.5/24` (host bits set) is still meant as that network.
    const fixed = parsed.problem.fix === undefined ? undefined : safeParseCidr(parsed.problem.fix);
    if (fixed?.ok) return { kind: 'cidr', block: fixed.block };
  }
  return { kind: 'name', name: text };
}

/** Compiles allow and deny lists. */
export function compilePolicy(allow: readonly string[] = [], deny: readonly string[] = []): HostPolicy {
  return { allow: allow.map(compileMatcher), deny: deny.map(compileMatcher) };
}

/** Whether an entry matches a normalized host name or its address. */
export function matches(matcher: HostMatcher, host: string, ip: IpAddress | undefined): boolean {
  switch (matcher.kind) {
    case 'name':
      return matcher.name === host;
    case 'wildcard':
      return host.endsWith(matcher.suffix) && host.length > matcher.suffix.length;
    case 'cidr':
      return ip !== undefined && ip.version === matcher.block.version && containsAddress(matcher.block, ip);
  }
}

const LINK_LOCAL_V4 = safeParseCidr('169.254.0.0/16');
const LINK_LOCAL_V6 = safeParseCidr('fe80::/10');
/** The IPv6 instance-metadata address some clouds use. */
const METADATA_V6 = safeParseIp('fd00:ec2::254');

/** Link-local and metadata addresses (169.254.0.0/16, fe80::/10, incl. IPv4-mapped forms): never reachable through the proxy. */
export function isLinkLocal(ip: IpAddress): boolean {
  if (ip.version === 4) return LINK_LOCAL_V4.ok && containsAddress(LINK_LOCAL_V4.block, ip);
  if (METADATA_V6 !== undefined && ip.value === METADATA_V6.value) return true;
  if (ip.value >> 32n === 0xffffn) return isLinkLocal({ ...ip, version: 4, value: ip.value & 0xffffffffn } as IpAddress);
  return LINK_LOCAL_V6.ok && containsAddress(LINK_LOCAL_V6.block, ip);
}

/**
 * The forward proxy's rule: link-local/metadata addresses are always refused, then the
 * deny list, then the allow list when there is one; without an allow list only
 * destinations inside the lab are allowed.
 */
export function decideHost(policy: HostPolicy, rawHost: string, ip: IpAddress | undefined, inLab: boolean): HostDecision {
  const host = normalizeHostName(rawHost);
  const address = ip ?? safeParseIp(host);
  if (address !== undefined && isLinkLocal(address)) {
    return { allowed: false, reason: `${host} is a link-local / metadata address, which the proxy always refuses` };
  }
  if (policy.deny.some((m) => matches(m, host, address))) return { allowed: false, reason: `${host} is on the deny list` };
  if (policy.allow.length > 0) {
    return policy.allow.some((m) => matches(m, host, address))
      ? { allowed: true }
      : { allowed: false, reason: `${host} is not on the allow list` };
  }
  return inLab ? { allowed: true } : { allowed: false, reason: `${host} is outside the lab (only lab destinations are allowed by default)` };
}
