import { splitHostPort } from './options.js';

/** A designed `ip:port` (IPv6 in brackets). */
const DESIGNED = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;

/** An address map, or why the input is not one. */
export type AddressMapResult = { ok: true; map: Record<string, string> } | { ok: false; message: string };

/**
 * Reads an address map from what a user has at hand: a plain object
 * `{"10.0.1.10:80": "127.0.0.1:41234"}`, the ready line of `topolab up --json`
 * (`{"event":"ready","endpoints":[{"address","url"}]}`, with `httpsAddress` and `httpsUrl`
 * for a node's HTTPS listener) or its `endpoints` array.
 */
export function parseAddressMap(value: unknown): AddressMapResult {
  const endpoints = Array.isArray(value)
    ? value
    : value !== null && typeof value === 'object' && Array.isArray((value as { endpoints?: unknown }).endpoints)
      ? (value as { endpoints: unknown[] }).endpoints
      : undefined;
  const map: Record<string, string> = {};
  if (endpoints) {
    for (const [i, endpoint] of endpoints.entries()) {
      const { address, url } = (endpoint ?? {}) as { address?: unknown; url?: unknown };
      if (typeof address !== 'string' || typeof url !== 'string') return { ok: false, message: `endpoints[${i}] needs "address" and "url" strings` };
      const target = /^[a-z]+:\/\/([^/]+)/.exec(url)?.[1] ?? url;
      const added = addEntry(map, address, target);
      if (added) return { ok: false, message: `endpoints[${i}]: ${added}` };
      // Its HTTPS listener too: a config reaching it over TLS (tls.upstream) connects there.
      const { httpsAddress, httpsUrl } = endpoint as { httpsAddress?: unknown; httpsUrl?: unknown };
      if (typeof httpsAddress === 'string' && typeof httpsUrl === 'string') {
        const secure = addEntry(map, httpsAddress, /^[a-z]+:\/\/([^/]+)/.exec(httpsUrl)?.[1] ?? httpsUrl);
        if (secure) return { ok: false, message: `endpoints[${i}]: ${secure}` };
      }
    }
    return { ok: true, map };
  }
  if (value === null || typeof value !== 'object') return { ok: false, message: 'an address map is a JSON object {"designed ip:port": "host:port"} or the ready line of `topolab up --json`' };
  for (const [address, target] of Object.entries(value as Record<string, unknown>)) {
    if (typeof target !== 'string') return { ok: false, message: `"${address}": the target must be a "host:port" string` };
    const added = addEntry(map, address, target);
    if (added) return { ok: false, message: added };
  }
  return { ok: true, map };
}

/** One `designed=host:port` pair, as the `--map` flag takes it. */
export function parseAddressPair(text: string): AddressMapResult {
  const eq = text.indexOf('=');
  if (eq < 0) return { ok: false, message: `"${text}" is not DESIGNED=HOST:PORT (e.g. 10.0.1.10:80=127.0.0.1:8080)` };
  const map: Record<string, string> = {};
  const problem = addEntry(map, text.slice(0, eq), text.slice(eq + 1));
  return problem ? { ok: false, message: problem } : { ok: true, map };
}

function addEntry(map: Record<string, string>, address: string, target: string): string | undefined {
  if (!DESIGNED.test(address)) return `"${address}" is not a designed ip:port`;
  if (!splitHostPort(target)) return `"${target}" (for ${address}) is not host:port`;
  map[address] = target;
  return undefined;
}
