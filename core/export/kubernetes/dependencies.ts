import { trafficEndOf } from '../../model/edges.js';
import { KIND_TRAITS } from '../../model/kinds/index.js';
import type { Context, Manifest, Workload } from './index.js';

/** Server-to-server calls in the Kubernetes export: the callers' environment and the callees' NetworkPolicies. */

/**
 * A server's (or group's) calls: `TOPOLAB_DEPENDENCIES` names each dependency by the
 * Service that reaches it, for the app that replaces the echo app (which makes no calls).
 */
export function wireDependencies(ctx: Context, workload: Workload): void {
  const calls = ctx.view.dependenciesOf(workload.node.id);
  if (calls.length === 0) return;
  const entries: string[] = [];
  for (const call of calls) {
    const target = call.target;
    const served = ctx.workloads.get(target.id)?.name ?? ctx.serviceNames.get(target.id);
    if (served === undefined) {
      const why = target.kind === 'reverse-proxy' ? 'a reverse proxy is an Ingress: call the ingress controller\'s address' : 'it has no Service here';
      ctx.report.notExpressible(workload.node.id, 'dependency', `calls ${target.id} (edge ${call.edgeId}): ${why}`, 'call a Service in front of it instead');
      continue;
    }
    entries.push(`${target.id}=${call.protocol}://${served}:${call.port}`);
  }
  if (entries.length === 0) return;
  workload.dependencies = entries.join(' ');
  ctx.report.approximated(workload.node.id, 'dependencies', `TOPOLAB_DEPENDENCIES names ${calls.map((c) => c.target.id).join(', ')} by their Services for your app (the echo app does not call them per request)`, 'replace the echo image with your app, which reads TOPOLAB_DEPENDENCIES');
}

/**
 * A NetworkPolicy admitting only its callers' pods, on its port, for a workload that only
 * servers and groups call: a policy isolates the pods it selects, so one for a workload a
 * balancer, proxy, cache or client also reaches would have to list those too (not written,
 * reported).
 */
export function callersOnlyPolicy(ctx: Context, workload: Workload): Manifest | undefined {
  const index = ctx.view.index;
  const id = workload.node.id;
  const incoming = index.edgesTo(id);
  if (incoming.length === 0) return undefined;
  const callers = new Set<string>();
  const others = new Set<string>();
  for (const edge of incoming) {
    const from = index.node(edge.from);
    if (!from) continue;
    if (KIND_TRAITS[from.kind].calls) callers.add(trafficEndOf(index, from.id));
    else others.add(from.id);
  }
  for (const proxy of index.ofKind('reverse-proxy')) if ((proxy.rules ?? []).some((rule) => rule.upstreams.includes(id))) others.add(proxy.id);
  if (callers.size === 0) return undefined;
  if (others.size > 0) {
    ctx.report.approximated(id, 'network-policy', `no NetworkPolicy: besides its callers (${[...callers].join(', ')}) ${[...others].join(', ')} reach it, which a policy would have to admit as well`);
    return undefined;
  }
  const from = [...callers].flatMap((caller) => {
    const source = ctx.workloads.get(caller);
    return source ? [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': source.name } } }] : [];
  });
  if (from.length === 0) return undefined;
  ctx.report.expressed(id, 'network-policy', `NetworkPolicy ${workload.name}-callers admits only ${[...callers].join(', ')} on port ${workload.port}`);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${workload.name}-callers`, labels: { 'app.kubernetes.io/part-of': 'topolab' }, annotations: { 'topolab.io/node': id } },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': workload.name } },
      policyTypes: ['Ingress'],
      ingress: [{ from, ports: [{ protocol: 'TCP', port: workload.port }] }],
    },
  };
}
