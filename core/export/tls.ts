/**
 * What every exporter needs to know about a node's HTTPS: its host names (one certificate
 * each, the first the default), the certificate files, the policy. Pure.
 */
import { hstsValue, tlsPort } from '../model/kinds/index.js';
import { certFileStem, nodeTls, tlsHostNames } from '../model/tls-hosts.js';
import type { Topology, TopologyNode } from '../model/types.js';

/** The HTTPS of one node as a config writes it. */
export interface ExportTls {
  hosts: string[];
  /** The designed HTTPS port. */
  port: number;
  redirect?: 301 | 308;
  hsts?: string;
  /** `TLSv1.2` (then 1.3 too) or `TLSv1.3`. */
  minVersion: 'TLSv1.2' | 'TLSv1.3';
}

/** The node's HTTPS, when its `tls` is active (a layer-4 balancer's never is: validate refuses it). */
export function exportTls(topology: Topology, node: TopologyNode): ExportTls | undefined {
  const tls = nodeTls(node);
  if (tls === undefined || (node.kind === 'load-balancer' && node.layer === 4)) return undefined;
  return {
    hosts: tlsHostNames(topology, node),
    port: tlsPort(tls),
    ...(tls.redirect !== undefined ? { redirect: tls.redirect } : {}),
    ...(tls.hsts !== undefined ? { hsts: hstsValue(tls.hsts) } : {}),
    minVersion: tls.minVersion ?? 'TLSv1.2',
  };
}

/** Where a host's certificate files are for a config: `dir` (the project's certs folder) plus the file names the CA writes. */
export function certPaths(dir: string | undefined, host: string): { cert: string; key: string; pem: string } {
  const base = `${(dir ?? '.topolab/certs').replace(/\/+$/, '')}/${certFileStem(host)}`;
  return { cert: `${base}.crt`, key: `${base}.key`, pem: `${base}.pem` };
}
