/**
 * Which host names a node's HTTPS listener certifies (one certificate each, picked by SNI),
 * and where the project keeps its certificate authority and certificates. Pure: the lab,
 * `topolab ca` and the exporters share one answer.
 */
import { domainNameProblem, normalizeDomainName, recordFqdn } from './dns-names.js';
import { activeTls, type TlsSettings } from './kinds/tls.js';
import type { Topology, TopologyNode } from './types.js';

/** The folder, inside the design's folder, that holds what Topolab generates for a project. */
export const PROJECT_DIR = '.topolab';

/** Files of the project's certificate authority and leaf certificates, relative to the design's folder. */
export const TLS_FILES = {
  /** Generated; keeps private keys out of commits by default. */
  gitignore: `${PROJECT_DIR}/.gitignore`,
  caCert: `${PROJECT_DIR}/ca/topolab-ca.crt`,
  caKey: `${PROJECT_DIR}/ca/topolab-ca.key`,
  certsDir: `${PROJECT_DIR}/certs`,
} as const;

/** `*.shop.example` -> `_wildcard.shop.example`: a file name without a glob character. */
export function certFileStem(host: string): string {
  const name = normalizeDomainName(host);
  return name.startsWith('*.') ? `_wildcard.${name.slice(2)}` : name;
}

/** The certificate (leaf then CA), key and combined PEM (HAProxy's `crt`) of one host name, relative to the design's folder. */
export function certFiles(host: string): { cert: string; key: string; pem: string } {
  const stem = `${TLS_FILES.certsDir}/${certFileStem(host)}`;
  return { cert: `${stem}.crt`, key: `${stem}.key`, pem: `${stem}.pem` };
}

type MaybeTls = TopologyNode & { tls?: TlsSettings | undefined };

/** The node's `tls` block when it turns HTTPS on. */
export function nodeTls(node: TopologyNode): TlsSettings | undefined {
  return 'tls' in node ? activeTls(node as MaybeTls) : undefined;
}

/**
 * The host names a node's certificates cover, in order, the first being the default (the
 * certificate for a client that sends no SNI name or an unknown one): `tls.hosts`, then the
 * names of the design's A/AAAA records that answer the node, then its proxy rules' hosts, then
 * its gateway routes' hosts.
 * Invalid names are left out (validate reports them). Never empty for a node with TLS: a
 * node nothing names gets `<id>.topolab.internal`.
 */
export function tlsHostNames(topology: Topology, node: TopologyNode): string[] {
  const tls = nodeTls(node);
  if (tls === undefined) return [];
  const names: string[] = [];
  const add = (name: string | undefined): void => {
    if (name === undefined) return;
    const n = normalizeDomainName(name);
    if (domainNameProblem(n, true) === undefined && !names.includes(n)) names.push(n);
  };
  tls.hosts?.forEach(add);
  for (const zone of topology.nodes) {
    if (zone.kind !== 'dns-zone') continue;
    for (const record of zone.records) {
      if ((record.type === 'A' || record.type === 'AAAA') && record.values.includes(node.id)) add(recordFqdn(record.name, zone.name));
    }
  }
  if (node.kind === 'reverse-proxy') node.rules?.forEach((rule) => add(rule.host === undefined ? undefined : rule.host.split(':')[0]));
  if (node.kind === 'reverse-proxy') node.gateway?.routes.forEach((route) => add(route.host));
  if (names.length === 0) add(`${node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.topolab.internal`);
  return names;
}

/** Whether certificate name `pattern` (maybe `*.shop.example`) covers `host` (one label for the wildcard, RFC 6125 6.4.3). */
export function hostMatches(pattern: string, host: string): boolean {
  const h = normalizeDomainName(host);
  if (!pattern.startsWith('*.')) return pattern === h;
  const rest = pattern.slice(1);
  return h.endsWith(rest) && !h.slice(0, -rest.length).includes('.') && h.length > rest.length;
}

/** The certificate name serving `sni` (exact first, then a wildcard), the default (first) one otherwise. */
export function pickCertificateName(names: readonly string[], sni: string | undefined): string | undefined {
  if (sni === undefined || sni === '') return names[0];
  const host = normalizeDomainName(sni);
  return names.find((n) => n === host) ?? names.find((n) => hostMatches(n, host)) ?? names[0];
}

/**
 * The name a forwarder with `tls.upstream` sends as SNI to an upstream, and verifies its
 * certificate against: the upstream's first certified name that is not a wildcard; when all
 * are wildcards, `<id>` under the first one (`*.shop.example` -> `api.shop.example`, which
 * the wildcard covers). `hosts` is `tlsHostNames` of the upstream. The lab and the exports
 * (nginx `proxy_ssl_name`, HAProxy `sni`) share it.
 */
export function upstreamServerName(hosts: readonly string[], nodeId: string): string | undefined {
  const exact = hosts.find((h) => !h.startsWith('*.'));
  if (exact !== undefined) return exact;
  const wildcard = hosts[0];
  if (wildcard === undefined) return undefined;
  const label = nodeId.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'upstream';
  return `${label}${wildcard.slice(1)}`;
}

/** `upstreamServerName` of a node of the design (undefined when it serves no HTTPS). */
export function nodeServerName(topology: Topology, node: TopologyNode): string | undefined {
  return upstreamServerName(tlsHostNames(topology, node), node.id);
}
