/**
 * What every exporter needs to know about a node's HTTPS: its host names (one certificate
 * each, the first the default), the certificate files, the policy. Pure.
 */
import { hstsValue, tlsPort } from '../model/kinds/index.js';
import { certFileStem, nodeTls, tlsHostNames, upstreamServerName } from '../model/tls-hosts.js';
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

/** Whether a node connects to its upstreams over HTTPS (`tls.upstream`; never a layer-4 balancer, which pipes TCP). */
export function usesUpstreamTls(node: TopologyNode): boolean {
  if (node.kind === 'load-balancer' && node.layer === 4) return false;
  return 'tls' in node && (node.tls as { upstream?: boolean } | undefined)?.upstream === true;
}

/** How a forwarder with `tls.upstream` reaches one upstream: its HTTPS port and the name sent as SNI and verified. */
export interface UpstreamTlsHop {
  port: number;
  servername: string;
}

/** The HTTPS hop to an upstream node (the lab's choice: `upstreamServerName`), undefined when it serves no HTTPS. */
export function upstreamTlsHop(topology: Topology, nodeId: string): UpstreamTlsHop | undefined {
  const node = topology.nodes.find((n) => n.id === nodeId);
  if (node === undefined) return undefined;
  const tls = exportTls(topology, node);
  const servername = tls === undefined ? undefined : upstreamServerName(tls.hosts, node.id);
  return tls === undefined || servername === undefined ? undefined : { port: tls.port, servername };
}

/**
 * The project's CA certificate for a config that verifies upstreams: beside the certificate
 * folder, as the CA lays them out (`.topolab/certs` -> `.topolab/ca/topolab-ca.crt`).
 */
export function caCertPath(certDir: string | undefined): string {
  const dir = (certDir ?? '.topolab/certs').replace(/\/+$/, '');
  const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '.';
  return `${parent === '' ? '' : parent}/ca/topolab-ca.crt`;
}
