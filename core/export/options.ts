/**
 * Options shared by the targets. None of them changes what the design means: they say
 * where the design's addresses really live (the live lab, a test) and where a locally
 * run nginx may write, so the same export runs unchanged in production or on a laptop.
 */
export interface ExportOptions {
  /**
   * Designed `ip:port` -> `host:port` to use instead, for every address the config
   * listens on or connects to. `topolab up --json` prints this map (its endpoints), so
   * the exported nginx/HAProxy config can run in front of the live lab.
   */
  addressMap?: Readonly<Record<string, string>>;
  /**
   * A folder the exported nginx may write to (pid, error log, temp and cache files),
   * for running it as an ordinary user. Without it nginx uses its built-in paths and
   * caches go under `/var/cache/nginx`.
   */
  runDir?: string;
  /**
   * Dynamic modules nginx must load first. Default: Debian's stream module
   * (`/usr/lib/nginx/modules/ngx_stream_module.so`) when the design has a layer-4 balancer;
   * an empty list loads none (nginx built with the stream module).
   */
  nginxModules?: readonly string[];
  /**
   * Where the config listens. `designed` (default): each node on its designed `ip:port`
   * (after `addressMap`). `loopback`: each node on 127.0.0.1, at the port `ports` gives it
   * (by node id) or the next free one from 8080, talking to the other nodes of the same
   * config directly and to everything else through `addressMap` (the running lab's
   * endpoint table), so `nginx -c` / `haproxy -f` runs the export as-is in front of a lab.
   */
  listen?: ListenMode;
}

/** How an export listens: see `ExportOptions.listen`. */
export type ListenMode = { mode: 'designed' } | { mode: 'loopback'; ports?: Readonly<Record<string, number>> };

/** The `host:port` to use for a designed endpoint, after the address map. */
export function mapEndpoint(options: ExportOptions, ip: string, port: number): { host: string; port: number } {
  const key = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  const mapped = options.addressMap?.[key];
  if (mapped === undefined) return { host: ip, port };
  const parsed = splitHostPort(mapped);
  return parsed ?? { host: ip, port };
}

/** `127.0.0.1:8080` or `[::1]:8080` -> host and port; undefined when it is not of that form. */
export function splitHostPort(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+|[A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2]) as string, port };
}

/** Formats an endpoint for a config: IPv6 hosts in brackets. */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
