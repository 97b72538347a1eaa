import type { NodeKind } from '../../model/kinds/index.js';
import type { AutoscalingGroupNode, CacheNode, LoadBalancerNode, NodeOfKind, ReverseProxyNode, Topology, TopologyNode } from '../../model/types.js';
import { DEFAULT_PORTS } from '../../model/kinds/index.js';
import { DesignView } from '../design.js';
import { commentText, NameAllocator } from '../escape.js';
import type { ExportOptions } from '../options.js';
import { renderNginxConf } from '../nginx/index.js';
import { ReportBuilder, type ExportResult } from '../report.js';
import { copyInexact } from '../report-copy.js';
import { checkRules, virtualHosts } from '../rules.js';
import { callersOnlyPolicy, wireDependencies } from './dependencies.js';
import { toYaml, type YamlValue } from '../yaml.js';
import { ingressTls, reportServiceTls, reportUpstreamTls } from './tls.js';

/** The echo app every server runs (the same as the Compose export). */
export const KUBERNETES_SERVER_IMAGE = 'traefik/whoami:v1.10';

/** One Kubernetes object as written. */
export type Manifest = { [key: string]: YamlValue | undefined };

/** A Deployment (and its Service) the export writes for a server or auto-scaling group. */
export interface Workload {
  /** The design node: a server or an auto-scaling group. */
  node: TopologyNode;
  name: string;
  port: number;
  replicas: number;
  /** Extra pod labels: one per pool the workload belongs to. */
  pools: Set<string>;
  readiness?: Manifest;
  /** `TOPOLAB_DEPENDENCIES`: what it calls, as `node=protocol://service:port`. */
  dependencies?: string;
}

/** What the Kubernetes writers share while one design renders. */
export interface Context {
  view: DesignView;
  report: ReportBuilder;
  names: NameAllocator;
  workloads: Map<string, Workload>;
  /** Node id -> the Service written for it (a balancer, a cache), by name. */
  serviceNames: Map<string, string>;
  manifests: Manifest[];
  /** Where the project's certificates are (for the report's `kubectl create secret tls` commands). */
  certDir?: string | undefined;
}

const POOL_LABEL_PREFIX = 'pool.topolab.io/';

/** The manifests the second pass collects, in the order they are written. */
interface Outputs {
  services: Manifest[];
  ingresses: Manifest[];
  caches: Manifest[];
}

/** What one kind becomes: a workload (first pass), manifests or report lines (second pass). */
interface KindMapping<K extends NodeKind> {
  workload?(ctx: Context, node: NodeOfKind<K>): void;
  write?(ctx: Context, node: NodeOfKind<K>, out: Outputs): void;
}

const clusterNetwork = (ctx: Context, node: TopologyNode): void =>
  ctx.report.notExpressible(node.id, node.kind, 'the cluster network replaces the address plan', 'restrict traffic with NetworkPolicies if the design relies on isolation');

/**
 * What each kind becomes in Kubernetes. Typed over every kind, so the compiler names a new
 * kind this exporter does not handle; a kind it cannot express writes a report line.
 */
const KUBERNETES_KINDS: { readonly [K in NodeKind]: KindMapping<K> } = {
  vpc: { write: clusterNetwork },
  subnet: { write: clusterNetwork },
  'route-table': { write: clusterNetwork },
  'security-group': { write: (ctx, node) => ctx.report.notExpressible(node.id, 'security-group', 'security groups are not written', 'write a NetworkPolicy per workload with the same rules') },
  'network-acl': { write: (ctx, node) => ctx.report.notExpressible(node.id, 'network-acl', 'a cluster has no subnet-level ACL', 'filter per workload with NetworkPolicies') },
  'internet-gateway': { write: clusterNetwork },
  'nat-gateway': { write: clusterNetwork },
  peering: { write: clusterNetwork },
  server: {
    workload(ctx, node) {
      // A server drawn inside an auto-scaling group describes the group's pods.
      if (node.parent !== undefined && ctx.view.index.nodeOfKind(node.parent, 'autoscaling-group')) return;
      // The designed port, even when the address does not resolve (a malformed ip): the cluster replaces addresses, not ports.
      const port = ctx.view.addresses.get(node.id)?.port ?? node.port ?? DEFAULT_PORTS.server;
      ctx.workloads.set(node.id, { node, name: k8sName(ctx, node.id), port, replicas: 1, pools: new Set() });
    },
  },
  'autoscaling-group': {
    workload(ctx, node) {
      ctx.workloads.set(node.id, { node, name: k8sName(ctx, node.id), port: ctx.view.groupPort(node.id) ?? DEFAULT_PORTS.server, replicas: node.desired ?? node.min, pools: new Set() });
    },
  },
  'load-balancer': { write: (ctx, node, out) => (reportServiceTls(ctx, node), out.services.push(...balancerService(ctx, node))) },
  'reverse-proxy': { write: (ctx, node, out) => out.ingresses.push(...proxyIngress(ctx, node, out.services)) },
  cache: { write: (ctx, node, out) => (reportServiceTls(ctx, node), out.caches.push(...cacheWorkload(ctx, node))) },
  'forward-proxy': { write: (ctx, node) => ctx.report.notExpressible(node.id, 'forward-proxy', 'Kubernetes has no forward proxy object', 'run Squid (its config is in the Compose export) as a Deployment, or use an egress gateway') },
  client: { write: (ctx, node) => ctx.report.notExpressible(node.id, 'client', 'clients are traffic sources, not workloads', 'send requests to the LoadBalancer Services or the Ingress') },
  'dns-zone': { write: (ctx, node) => ctx.report.notExpressible(node.id, 'dns-zone', 'cluster DNS names the Services; Route 53 zones, records and routing policies have no Kubernetes object', 'use ExternalDNS, or the Terraform and BIND exports') },
};

/**
 * Renders the design as Kubernetes manifests: a Deployment and a Service per server or
 * auto-scaling group, a Service per load balancer selecting its targets through a pool
 * label, an Ingress per reverse proxy and a HorizontalPodAutoscaler per auto-scaling group.
 */
export function renderKubernetes(topology: Topology, options: ExportOptions = {}): ExportResult {
  const report = new ReportBuilder('kubernetes');
  const view = new DesignView(topology);
  const ctx: Context = { view, report, names: new NameAllocator('-'), workloads: new Map(), serviceNames: new Map(), manifests: [], certDir: options.certDir };
  // Workloads first: balancers, proxies and caches select them.
  for (const node of topology.nodes) (KUBERNETES_KINDS[node.kind] as KindMapping<NodeKind>).workload?.(ctx, node as never);
  const out: Outputs = { services: [], ingresses: [], caches: [] };
  for (const node of topology.nodes) (KUBERNETES_KINDS[node.kind] as KindMapping<NodeKind>).write?.(ctx, node as never, out);
  const { services, ingresses, caches: cacheManifests } = out;
  const deployments: Manifest[] = [];
  const workloadServices: Manifest[] = [];
  const hpas: Manifest[] = [];
  const policies: Manifest[] = [];
  for (const workload of ctx.workloads.values()) {
    wireDependencies(ctx, workload);
    const policy = callersOnlyPolicy(ctx, workload);
    if (policy) policies.push(policy);
  }
  for (const workload of ctx.workloads.values()) {
    deployments.push(deployment(workload));
    workloadServices.push(workloadService(workload));
    if (workload.node.kind === 'autoscaling-group') hpas.push(autoscaler(ctx, workload, workload.node));
  }
  const documents = [...deployments, ...workloadServices, ...services, ...cacheManifests, ...ingresses, ...hpas, ...policies];
  const header = `# Kubernetes manifests for "${commentText(topology.name)}", generated by Topolab.\n# Apply with: kubectl apply -f kubernetes.yaml\n`;
  const body = documents.map((doc) => toYaml(doc)).join('---\n');
  return { files: [{ path: 'kubernetes.yaml', content: header + (body === '' ? '{}\n' : `---\n${body}`) }], report: report.build() };
}

/**
 * A DNS-1035 label (what a Service name must be, and valid for every other object too):
 * lower-case letters, digits and `-`, starting with a letter, ending with a letter or digit,
 * at most 63 characters. An id that does not start with a letter gets the `n-` prefix
 * (`9srv` -> `n-9srv`); the allocator keeps names unique per design id and the same for the
 * same design (a later id that mangles to a taken name gets `-2`, `-3`, ...).
 */
function k8sName(ctx: Context, id: string): string {
  return ctx.names.name(id, dnsLabelBase(id));
}

/** The mangled id before de-duplication: at most 55 characters, leaving room for a `-NN` suffix and `-nginx`. */
export function dnsLabelBase(id: string): string {
  let base = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(base)) base = `n-${base}`;
  base = base.slice(0, 55).replace(/-+$/g, '');
  return base === 'n' ? 'node' : base;
}

function labels(workload: Workload): Record<string, string> {
  return { 'app.kubernetes.io/name': workload.name, 'app.kubernetes.io/part-of': 'topolab' };
}

function deployment(workload: Workload): Manifest {
  const podLabels: Record<string, string> = { ...labels(workload) };
  for (const pool of [...workload.pools].sort()) podLabels[`${POOL_LABEL_PREFIX}${pool}`] = 'true';
  const container: Manifest = {
    name: 'app',
    image: KUBERNETES_SERVER_IMAGE,
    args: ['--port', String(workload.port), '--name', workload.node.id],
    ports: [{ name: 'http', containerPort: workload.port }],
  };
  if (workload.readiness) container['readinessProbe'] = workload.readiness;
  if (workload.dependencies !== undefined) container['env'] = [{ name: 'TOPOLAB_DEPENDENCIES', value: workload.dependencies }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: workload.name, labels: labels(workload), annotations: { 'topolab.io/node': workload.node.id } },
    spec: {
      replicas: workload.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': workload.name } },
      template: { metadata: { labels: podLabels }, spec: { containers: [container] } },
    },
  };
}

function workloadService(workload: Workload): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workload.name, labels: labels(workload) },
    spec: { selector: { 'app.kubernetes.io/name': workload.name }, ports: [{ name: 'http', port: workload.port, targetPort: 'http' }] },
  };
}

/** Adds a pool label to the workloads behind the given node ids; returns their common port. */
function joinPool(ctx: Context, pool: string, ids: readonly string[], owner: string): number | undefined {
  const ports = new Set<number>();
  for (const id of ids) {
    const workload = ctx.workloads.get(id) ?? ctx.workloads.get(ctx.view.index.node(id)?.parent ?? '');
    if (!workload) {
      ctx.report.notExpressible(owner, 'target', `target "${commentText(id)}" is not a server or auto-scaling group: it has no pods to select`, 'point the edge or rule at a server or auto-scaling group');
      continue;
    }
    workload.pools.add(pool);
    ports.add(workload.port);
  }
  if (ports.size > 1) ctx.report.approximated(owner, 'target-port', 'targets listen on different ports; the Service uses the named port "http" of each pod', 'nothing to do: each pod names its own port');
  return ports.size > 0 ? [...ports][0] : undefined;
}

function balancerService(ctx: Context, lb: LoadBalancerNode): Manifest[] {
  const name = k8sName(ctx, lb.id);
  const port = ctx.view.addresses.get(lb.id)?.port ?? 80;
  const targets = ctx.view.edgeTargets(lb.id).map((t) => t.id);
  if (joinPool(ctx, name, targets, lb.id) === undefined) return [];
  if (lb.healthCheck) {
    const hc = lb.healthCheck;
    const path = probePath(ctx, lb, hc.path ?? '/');
    const probe: Manifest = lb.layer === 7 && hc.type !== 'tcp' ? { httpGet: { path, port: 'http' } } : { tcpSocket: { port: 'http' } };
    probe['periodSeconds'] = Math.max(1, Math.round((hc.intervalMs ?? 10_000) / 1000));
    if (hc.timeoutMs !== undefined) probe['timeoutSeconds'] = Math.max(1, Math.round(hc.timeoutMs / 1000));
    probe['successThreshold'] = hc.rise ?? 1;
    probe['failureThreshold'] = hc.fall ?? 3;
    for (const id of targets) {
      const workload = ctx.workloads.get(id);
      if (workload) workload.readiness = probe;
    }
    ctx.report.approximated(lb.id, 'health-check', 'a readiness probe on the target pods (kubelet checks each pod; unready pods leave the Service)', 'nothing to do: a pod that fails the probe stops getting traffic, as a failed target does in the lab');
  }
  const spec: Manifest = {
    type: lb.internetFacing === true ? 'LoadBalancer' : 'ClusterIP',
    selector: { [`${POOL_LABEL_PREFIX}${name}`]: 'true' },
    ports: [{ name: lb.layer === 4 ? 'tcp' : 'http', port, targetPort: 'http', protocol: 'TCP' }],
  };
  if (lb.algorithm === 'source-hash' || lb.sticky) {
    spec['sessionAffinity'] = 'ClientIP';
    if (lb.sticky?.ttlSeconds !== undefined) spec['sessionAffinityConfig'] = { clientIP: { timeoutSeconds: Math.min(86_400, lb.sticky.ttlSeconds) } };
    ctx.report.approximated(lb.id, 'affinity', 'client affinity as sessionAffinity: ClientIP (by client address, not a cookie)', 'for cookie stickiness use an ingress controller with cookie affinity');
  }
  if (lb.algorithm !== 'round-robin' && lb.algorithm !== 'source-hash') {
    ctx.report.approximated(lb.id, 'algorithm', `${lb.algorithm} is not selectable on a Service: kube-proxy spreads connections evenly at random`, 'nothing to do for even spreading; for the exact algorithm run the HAProxy export as a Deployment in front of the pods');
  } else ctx.report.expressed(lb.id, 'algorithm', 'Service spreading across ready pods');
  if (lb.maxBodyBytes !== undefined || lb.timeoutMs !== undefined) ctx.report.notExpressible(lb.id, 'limits', 'body limits and timeouts are ingress-controller settings, not Service fields', 'set them in your ingress controller or in the pods');
  ctx.report.expressed(lb.id, 'service', `Service ${name} (${spec['type'] as string}) on port ${port}`);
  ctx.serviceNames.set(lb.id, name);
  return [{ apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'topolab' }, annotations: { 'topolab.io/node': lb.id } }, spec }];
}

function proxyIngress(ctx: Context, proxy: ReverseProxyNode, services: Manifest[]): Manifest[] {
  if (proxy.gateway !== undefined) {
    // An Ingress has no portable authentication or rate limits: writing its routes alone would open them.
    ctx.report.notExpressible(proxy.id, 'gateway', 'the API gateway (routes with authentication, rate limits, CORS) is not written as an Ingress: one would expose its routes without their checks', "run the nginx export's config in an nginx Deployment, or use your ingress controller's auth and rate-limit annotations");
    return [];
  }
  const name = k8sName(ctx, proxy.id);
  const checked = new ReportBuilder('kubernetes');
  const rules = checkRules(proxy, checked);
  copyInexact(checked.build(), ctx.report, 'fix the rule in the design, then export again');
  const backendFor = new Map<string, { name: string; port: number } | undefined>();
  let pools = 0;
  const backend = (upstreams: readonly string[]): { name: string; port: number } | undefined => {
    const key = upstreams.join(',');
    if (backendFor.has(key)) return backendFor.get(key);
    let result: { name: string; port: number } | undefined;
    const single = upstreams.length === 1 ? ctx.workloads.get(upstreams[0] as string) : undefined;
    if (single) result = { name: single.name, port: single.port };
    else {
      // A pool of several upstreams gets its own Service selecting them by a pool label.
      const pool = k8sName(ctx, `${proxy.id}-pool-${++pools}`);
      const port = joinPool(ctx, pool, upstreams, proxy.id);
      if (port !== undefined) {
        services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: pool, labels: { 'app.kubernetes.io/part-of': 'topolab' } }, spec: { selector: { [`${POOL_LABEL_PREFIX}${pool}`]: 'true' }, ports: [{ name: 'http', port, targetPort: 'http' }] } });
        result = { name: pool, port };
      }
    }
    backendFor.set(key, result);
    return result;
  };
  const spec: Manifest = {};
  if ((proxy.rules ?? []).length === 0) {
    const target = backend(ctx.view.edgeTargets(proxy.id).map((t) => t.id));
    if (!target) return [];
    spec['defaultBackend'] = { service: { name: target.name, port: { number: target.port } } };
  } else {
    const hosts = virtualHosts(rules);
    const ingressRules: Manifest[] = [];
    for (const vhost of hosts) {
      const paths = vhost.rules.flatMap((rule) => {
        const target = backend(rule.upstreams);
        if (!target) return [];
        if (rule.rewritePrefix !== undefined) ctx.report.notExpressible(proxy.id, 'rewrite', `rule ${rule.index + 1}: prefix rewrite is controller-specific (an annotation), not part of Ingress`, 'add your ingress controller\'s rewrite annotation (e.g. nginx.ingress.kubernetes.io/rewrite-target)');
        if (rule.requestHeaders.length + rule.responseHeaders.length > 0) ctx.report.notExpressible(proxy.id, 'header-rewrite', `rule ${rule.index + 1}: header rewrites are controller-specific, not part of Ingress`, 'add your ingress controller\'s header annotations or a Gateway API HTTPRoute filter');
        return [{ path: rule.pathPrefix, pathType: 'Prefix', backend: { service: { name: target.name, port: { number: target.port } } } }];
      });
      if (paths.length === 0) continue;
      ingressRules.push(vhost.host !== undefined ? { host: vhost.host, http: { paths } } : { http: { paths } });
    }
    spec['rules'] = ingressRules;
    ctx.report.expressed(proxy.id, 'routing-rules', 'Ingress Prefix paths match whole path segments (/api matches /api and /api/x, not /apix), as the lab does');
  }
  if (proxy.maxBodyBytes !== undefined || proxy.timeoutMs !== undefined) ctx.report.notExpressible(proxy.id, 'limits', 'body limits and timeouts are ingress-controller annotations, not Ingress fields', 'add your controller\'s annotations (e.g. nginx.ingress.kubernetes.io/proxy-body-size and proxy-read-timeout)');
  ingressTls({ view: ctx.view, report: ctx.report, certDir: ctx.certDir, nameOf: (base) => k8sName(ctx, base) }, proxy, name, spec);
  reportUpstreamTls(ctx, proxy);
  ctx.report.expressed(proxy.id, 'ingress', `Ingress ${name} (the cluster's default ingress class)`);
  return [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, labels: { 'app.kubernetes.io/part-of': 'topolab' }, annotations: { 'topolab.io/node': proxy.id } }, spec }];
}

/** The image caches run, with the nginx export of the cache node mounted (as in the Compose export). */
export const KUBERNETES_CACHE_IMAGE = 'nginx:1.27-alpine';

/**
 * Kubernetes has no cache object, so a cache runs as nginx: the nginx export of that one
 * node in a ConfigMap, listening on all pod addresses and sending to the Services of its
 * targets by name (the address map of the nginx renderer does both), plus a Deployment and
 * a Service on the cache's port.
 */
function cacheWorkload(ctx: Context, cache: CacheNode): Manifest[] {
  const address = ctx.view.addresses.get(cache.id);
  if (!address) {
    ctx.report.notExpressible(cache.id, 'address', 'no designed address: fix the node ip or its subnet, then export again');
    return [];
  }
  const name = k8sName(ctx, cache.id);
  const addressMap: Record<string, string> = { [endpointKey(address.ip, address.port)]: `0.0.0.0:${address.port}` };
  for (const target of ctx.view.cacheOrigins(cache).flatMap((id) => ctx.view.index.node(id) ?? [])) {
    const workload = ctx.workloads.get(target.id);
    if (!workload) {
      ctx.report.notExpressible(cache.id, 'target', `target "${commentText(target.id)}" is not a server or auto-scaling group: it has no Service to send to`, 'point the edge at a server or auto-scaling group');
      continue;
    }
    for (const endpoint of ctx.view.endpointsOf(target.id)) addressMap[endpointKey(endpoint.ip, endpoint.port)] = `${workload.name}:${workload.port}`;
  }
  const sub = new ReportBuilder('nginx');
  const config = renderNginxConf(ctx.view, { onlyNodes: new Set([cache.id]), addressMap, cacheRoot: '/var/cache/nginx' }, sub);
  copyInexact(sub.build(), ctx.report, "read this node's notes in docs/export.md (the nginx export)");
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'topolab' };
  ctx.report.expressed(cache.id, 'cache', `nginx Deployment ${name} with the nginx cache export in ConfigMap ${name}-nginx`);
  ctx.serviceNames.set(cache.id, name);
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-nginx`, labels }, data: { 'nginx.conf': config } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels, annotations: { 'topolab.io/node': cache.id } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: KUBERNETES_CACHE_IMAGE,
                ports: [{ name: 'http', containerPort: address.port }],
                volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: `${name}-nginx` } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: address.port, targetPort: 'http' }] } },
  ];
}

function endpointKey(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function autoscaler(ctx: Context, workload: Workload, group: AutoscalingGroupNode): Manifest {
  const spec: Manifest = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name },
    minReplicas: Math.max(1, group.min),
    maxReplicas: group.max,
  };
  const tracking = group.targetTracking;
  if (tracking) {
    const metric = tracking.metric === 'rps' ? 'http_requests_per_second' : 'http_requests_in_flight';
    spec['metrics'] = [{ type: 'Pods', pods: { metric: { name: metric }, target: { type: 'AverageValue', averageValue: String(tracking.target) } } }];
    if (tracking.cooldownSeconds !== undefined) spec['behavior'] = { scaleDown: { stabilizationWindowSeconds: Math.round(tracking.cooldownSeconds) } };
    ctx.report.approximated(group.id, 'target-tracking', `pods metric ${metric}: needs a custom metrics adapter serving it`, `install a metrics adapter (e.g. Prometheus Adapter) that serves ${metric} for the pods`);
  } else {
    spec['metrics'] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }];
    ctx.report.approximated(group.id, 'autoscaling', 'no target tracking in the design: scales on 70% CPU', 'give the group targetTracking, or set the CPU target you want');
  }
  if (group.min === 0) ctx.report.approximated(group.id, 'min', 'min 0 becomes 1: an HPA keeps at least one replica', 'scale to zero with KEDA if it matters');
  ctx.report.expressed(group.id, 'autoscaling', `HorizontalPodAutoscaler ${group.min}-${group.max} replicas`);
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: workload.name, labels: { 'app.kubernetes.io/part-of': 'topolab' } }, spec };
}

/**
 * The check path as the kubelet can send it: characters a request line cannot carry
 * (controls such as a newline, spaces, `%` not starting an escape, non-ASCII) are
 * percent-encoded (UTF-8), so the probe asks for the same resource a client would; reported.
 */
function probePath(ctx: Context, lb: LoadBalancerNode, path: string): string {
  let out = '';
  for (const [i, ch] of [...path].entries()) {
    const escapeStart = ch === '%' && /^%[0-9A-Fa-f]{2}/.test([...path].slice(i).join(''));
    if (/[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/.test(ch) || escapeStart) out += ch;
    else out += [...new TextEncoder().encode(ch)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  if (out !== path) {
    ctx.report.approximated(lb.id, 'health-check-path', `the check path ${JSON.stringify(path)} has characters an HTTP request line cannot carry: the probe asks for ${out}`, 'use a check path of plain URL characters');
  }
  return out;
}

