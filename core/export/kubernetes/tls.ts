import type { ReverseProxyNode, TopologyNode } from '../../model/types.js';
import { certFileStem } from '../../model/tls-hosts.js';
import type { DesignView } from '../design.js';
import type { ReportBuilder } from '../report.js';
import { certPaths, exportTls, usesUpstreamTls } from '../tls.js';

/** What the Ingress TLS writer needs of the Kubernetes render. */
export interface TlsContext {
  view: DesignView;
  report: ReportBuilder;
  certDir: string | undefined;
  /** A Kubernetes object name, unique in the manifests. */
  nameOf(base: string): string;
}

/**
 * A reverse proxy's HTTPS as Ingress `tls`: one entry per host name, each naming a
 * `kubernetes.io/tls` Secret (`<ingress>-tls-<host>`). The Secrets themselves are not written
 * into the manifest file (that would put private keys where files get committed): the report
 * gives the `kubectl create secret tls` command for each, from the project's certificates.
 */
export function ingressTls(ctx: TlsContext, proxy: ReverseProxyNode, name: string, spec: Record<string, unknown>): void {
  const tls = exportTls(ctx.view.topology, proxy);
  if (tls === undefined) return;
  const entries = tls.hosts.map((host) => ({ hosts: [host], secretName: ctx.nameOf(`${name}-tls-${certFileStem(host)}`) }));
  spec['tls'] = entries;
  const commands = entries.map((e, i) => {
    const files = certPaths(ctx.certDir, tls.hosts[i] ?? '');
    return `kubectl create secret tls ${e.secretName} --cert=${files.cert} --key=${files.key}`;
  });
  ctx.report.expressed(proxy.id, 'tls', `Ingress tls for ${tls.hosts.join(', ')} (one Secret each, picked by SNI)`);
  ctx.report.notExpressible(proxy.id, 'tls-secrets', `the TLS Secrets (${entries.map((e) => e.secretName).join(', ')}) are not written into the manifests, so private keys stay out of files that get committed`, `create them from the project's certificates: ${commands.join('; ')}`);
  if (tls.redirect !== undefined || tls.hsts !== undefined || tls.minVersion !== 'TLSv1.2') {
    ctx.report.notExpressible(proxy.id, 'tls-policy', 'the HTTP-to-HTTPS redirect, HSTS and the lowest TLS version are ingress-controller settings, not Ingress fields (ingress-nginx redirects with 308 by default once tls is set)', "set your controller's annotations (e.g. nginx.ingress.kubernetes.io/ssl-redirect, its hsts and ssl-protocols settings)");
  }
}

/** A balancer's or cache's HTTPS: a Service passes TCP, so it is not written; the report says where it goes instead. */
export function reportServiceTls(ctx: { view: DesignView; report: ReportBuilder }, node: TopologyNode): void {
  reportUpstreamTls(ctx, node);
  const tls = exportTls(ctx.view.topology, node);
  if (tls === undefined) return;
  ctx.report.notExpressible(node.id, 'tls', `HTTPS on ${tls.port} is not written: a Service passes TCP, and terminating TLS on it is a cloud-specific annotation`, 'terminate TLS in an Ingress (a reverse proxy in the design), or add your cloud\'s annotation (e.g. service.beta.kubernetes.io/aws-load-balancer-ssl-cert)');
}

/**
 * HTTPS to upstreams (`tls.upstream`) has no Kubernetes field: a Service passes TCP and never
 * opens a TLS connection of its own, and an Ingress's backend protocol (and verifying the
 * backend's certificate against a CA) is a controller annotation. The export names no
 * controller, so nothing is written; the report says what to add.
 */
export function reportUpstreamTls(ctx: { report: ReportBuilder }, node: TopologyNode): void {
  if (!usesUpstreamTls(node)) return;
  if (node.kind === 'reverse-proxy') {
    ctx.report.notExpressible(
      node.id,
      'tls-upstream',
      'HTTPS from the Ingress to its backends is an ingress-controller annotation, not an Ingress field (this export names no controller): the backends are reached as the controller defaults, plain HTTP for ingress-nginx',
      'with ingress-nginx add nginx.ingress.kubernetes.io/backend-protocol: "HTTPS", and to verify the backends proxy-ssl-verify: "on", proxy-ssl-secret (a Secret holding the project\'s CA as ca.crt) and proxy-ssl-name; other controllers have their own',
    );
    return;
  }
  ctx.report.notExpressible(
    node.id,
    'tls-upstream',
    'HTTPS to the upstreams is not written: a Service passes TCP to the pods and opens no TLS connection of its own, so it neither encrypts towards them nor verifies their certificates',
    'have the pods serve HTTPS themselves and the clients verify them end to end, or use a service mesh with mTLS (Istio, Linkerd) between the Service\'s clients and the pods',
  );
}
