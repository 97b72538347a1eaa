/**
 * HTTPS in the lab: the project's CA and the certificates of every node with TLS, made (or
 * reused) before the services start, and the trust a lab client uses for them: the
 * project's CA plus the usual roots, for the lab's own targets only (never process-wide).
 */
import { rootCertificates } from 'node:tls';
import type { ServedCertificate } from '../http/tls-listener.js';
import { ensureAuthority, ensureLeaves, type Authority } from '../tls/authority.js';
import { messageOf, urlOf, type LabContext } from './context.js';
import { LabError, type ServiceSpec } from './lab-types.js';
import type { LabPlan } from './plan-types.js';

/** The project's CA and the certificate of each host name, for one running lab. */
export interface LabTls {
  authority: Authority;
  byHost: Map<string, ServedCertificate>;
}

/** How a lab client trusts an HTTPS target: CAs and the SNI name to send (and verify). */
export interface ClientTls {
  ca: string[];
  servername: string;
}

/** Makes or reuses the CA and the certificates the plan needs; nothing when no node has TLS. */
export async function prepareLabTls(folder: string, plan: LabPlan): Promise<LabTls | undefined> {
  const hosts = [...new Set(plan.services.flatMap((s) => s.tls?.hosts ?? []))];
  if (hosts.length === 0 && !plan.services.some((s) => s.upstreamTls === true)) return undefined;
  try {
    const authority = await ensureAuthority(folder);
    const leaves = await ensureLeaves(folder, authority, hosts);
    return { authority, byHost: new Map(leaves.map((l) => [l.host, { host: l.host, certPem: l.certPem, keyPem: l.keyPem }])) };
  } catch (error) {
    throw new LabError('failed', `cannot prepare the certificates under ${folder}/.topolab: ${messageOf(error)}`);
  }
}

/** The certificates of one spec's HTTPS listener, the default first; undefined without TLS. */
export function certificatesFor(ctx: LabContext, spec: ServiceSpec): ServedCertificate[] | undefined {
  if (spec.tls === undefined || ctx.tls === undefined) return undefined;
  return spec.tls.hosts.flatMap((host) => {
    const cert = ctx.tls?.byHost.get(host);
    return cert ? [cert] : [];
  });
}

/**
 * Where an HTTPS request to `to` goes: its TLS listener's loopback URL, with the CA to trust
 * and the SNI name (the `Host` header's name when it is one the node certifies, else the node's
 * default name), so certificate checks run as a browser's would.
 */
export function httpsTargetOf(ctx: LabContext, to: string, headers: Record<string, string> | undefined): { url: string; tls: ClientTls; address: string } {
  const running = ctx.running.get(to);
  if (!running) throw new LabError('not-found', `"${to}" is not a running node of this lab`);
  const endpoint = running.service.tlsEndpoint?.();
  const tls = running.spec.tls;
  if (tls === undefined || endpoint === undefined || ctx.tls === undefined) throw new LabError('bad-input', `"${to}" has no HTTPS listener: give it a "tls" block`);
  const hostHeader = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'host')?.[1];
  const servername = hostHeader?.split(':')[0]?.toLowerCase() ?? tls.hosts[0] ?? '';
  return {
    url: urlOf(endpoint).replace(/^http:/, 'https:'),
    tls: { ca: [...rootCertificates, ctx.tls.authority.certPem], servername },
    address: running.spec.address.ip,
  };
}
