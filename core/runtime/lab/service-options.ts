import type {
  BackendOptions,
  BalancerOptions,
  CacheOptions,
  CommandBackendOptions,
  ForwardProxyOptions,
  L7BalancerOptions,
  ReverseProxyOptions,
} from '../services/types.js';
import type { TlsListenerOptions } from '../http/tls-listener.js';
import { formatAddress } from './address.js';
import type { ServiceSpec, ServiceWiring } from './lab.js';

/** The options of the service of one planned node, tagged by role. */
export type ServiceOptionsOf =
  | { role: 'backend'; options: BackendOptions }
  | { role: 'command'; options: CommandBackendOptions }
  | { role: 'l7-balancer'; options: L7BalancerOptions }
  | { role: 'l4-balancer'; options: BalancerOptions }
  | { role: 'reverse-proxy'; options: ReverseProxyOptions }
  | { role: 'cache'; options: CacheOptions }
  | { role: 'forward-proxy'; options: ForwardProxyOptions };

/**
 * How one planned node's settings become its service's options: the one mapping for the
 * loopback lab (./services.ts) and the kernel lab's namespace hosts, which import only the
 * service they run. Imports no service code, so it loads fast.
 */
export function serviceOptions(spec: ServiceSpec, wiring: ServiceWiring): ServiceOptionsOf {
  const base = { nodeId: spec.id, onEvent: wiring.onEvent, ...defined({ port: spec.port, host: wiring.host }), ...httpsOf(spec, wiring) };
  const upstream = { targets: wiring.targets, gate: wiring.gate, ...defined({ timeoutMs: spec.timeoutMs }), ...upstreamTlsOf(spec, wiring) };
  const limits = defined({ maxBodyBytes: spec.maxBodyBytes });
  const balancing = defined({ algorithm: spec.algorithm, healthCheck: spec.healthCheck });
  switch (spec.role) {
    case 'backend': {
      const calls = spec.backend?.calls ?? [];
      return {
        role: 'backend',
        options: {
          ...base,
          designedAddress: formatAddress(spec.address),
          ...defined({ latency: spec.backend?.latency, errorRate: spec.backend?.errorRate }),
          ...(calls.length > 0
            ? {
                calls: {
                  dependencies: calls.map((call) => ({ edgeId: call.edgeId, nodeId: call.to, port: call.port, protocol: call.protocol })),
                  gate: wiring.gate,
                  locate: wiring.locate,
                  ...defined({ order: spec.backend?.callOrder, timeoutMs: spec.backend?.callTimeoutMs }),
                },
              }
            : {}),
        },
      };
    }
    case 'command':
      return {
        role: 'command',
        options: {
          ...base,
          command: spec.backend?.command ?? '',
          ...defined({ cwd: wiring.cwd }),
          // Besides PORT and HOST: who the command stands for, so it can answer like the built-in app.
          env: { TOPOLAB_NODE: spec.id, TOPOLAB_ADDRESS: formatAddress(spec.address) },
        },
      };
    case 'l7-balancer':
      return { role: 'l7-balancer', options: { ...base, ...upstream, ...limits, ...balancing, ...defined({ sticky: spec.sticky }) } };
    case 'l4-balancer':
      return { role: 'l4-balancer', options: { ...base, ...upstream, ...balancing } };
    case 'reverse-proxy':
      return { role: 'reverse-proxy', options: { ...base, ...upstream, ...limits, ...defined({ rules: spec.rules, gateway: spec.gateway, designFolder: wiring.designFolder }) } };
    case 'cache':
      return { role: 'cache', options: { ...base, ...upstream, ...limits, ...defined({ maxBytes: spec.maxBytes, defaultTtlSeconds: spec.defaultTtl }) } };
    case 'forward-proxy':
      return { role: 'forward-proxy', options: { ...base, ...limits, labAddress: wiring.resolver, resolveName: wiring.resolveName, gate: wiring.gate, ...defined({ allow: spec.allow, deny: spec.deny, timeoutMs: spec.timeoutMs }) } };
  }
}

/** Drops `undefined` fields: the services treat a missing option as "use the default". */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** HTTPS to upstreams (`tls.upstream`), trusting the project's CA only. */
function upstreamTlsOf(spec: ServiceSpec, wiring: ServiceWiring): { upstreamTls?: { ca: string } } {
  if (spec.upstreamTls !== true) return {};
  if (wiring.upstreamCa === undefined) throw new Error(`${spec.id} connects to its upstreams over TLS but the project's CA was not loaded`);
  return { upstreamTls: { ca: wiring.upstreamCa } };
}

/** The HTTPS listener of a spec with TLS and its certificates (a spec without both gets none). */
function httpsOf(spec: ServiceSpec, wiring: ServiceWiring): { tls?: TlsListenerOptions } {
  const certificates = wiring.certificates;
  if (spec.tls === undefined || certificates === undefined || certificates.length === 0) return {};
  return { tls: { certificates, designedPort: spec.tls.port, ...defined({ redirect: spec.tls.redirect, hsts: spec.tls.hsts, minVersion: spec.tls.minVersion }) } };
}
