import {
  createBackend,
  createCache,
  createCommandBackend,
  createForwardProxy,
  createL4Balancer,
  createL7Balancer,
  createReverseProxy,
  type LabService,
} from '../services/index.js';
import type { TlsListenerOptions } from '../http/tls-listener.js';
import { formatAddress } from './address.js';
import type { CreateService, ServiceSpec, ServiceWiring } from './lab.js';

/**
 * Builds the real network service of one planned node (core/runtime/services): the
 * default `createService` of every lab the CLI, the API and the desktop start.
 */
export const createRealService: CreateService = (spec: ServiceSpec, wiring: ServiceWiring): LabService => {
  const base = { nodeId: spec.id, onEvent: wiring.onEvent, ...defined({ port: spec.port }), ...httpsOf(spec, wiring) };
  const upstream = { targets: wiring.targets, gate: wiring.gate, ...defined({ timeoutMs: spec.timeoutMs }) };
  const limits = defined({ maxBodyBytes: spec.maxBodyBytes });
  const balancing = defined({ algorithm: spec.algorithm, healthCheck: spec.healthCheck });
  switch (spec.role) {
    case 'backend': {
      const calls = spec.backend?.calls ?? [];
      return createBackend({
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
      });
    }
    case 'command':
      return createCommandBackend({
        ...base,
        command: spec.backend?.command ?? '',
        ...defined({ cwd: wiring.cwd }),
        // Besides PORT and HOST: who the command stands for, so it can answer like the built-in app.
        env: { TOPOLAB_NODE: spec.id, TOPOLAB_ADDRESS: formatAddress(spec.address) },
      });
    case 'l7-balancer':
      return createL7Balancer({ ...base, ...upstream, ...limits, ...balancing, ...defined({ sticky: spec.sticky }) });
    case 'l4-balancer':
      return createL4Balancer({ ...base, ...upstream, ...balancing });
    case 'reverse-proxy':
      return createReverseProxy({ ...base, ...upstream, ...limits, ...defined({ rules: spec.rules, gateway: spec.gateway, designFolder: wiring.designFolder }) });
    case 'cache':
      return createCache({ ...base, ...upstream, ...limits, ...defined({ maxBytes: spec.maxBytes, defaultTtlSeconds: spec.defaultTtl }) });
    case 'forward-proxy':
      return createForwardProxy({ ...base, ...limits, labAddress: wiring.resolver, resolveName: wiring.resolveName, gate: wiring.gate, ...defined({ allow: spec.allow, deny: spec.deny, timeoutMs: spec.timeoutMs }) });
  }
};

/** Drops `undefined` fields: the services treat a missing option as "use the default". */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** The HTTPS listener of a spec with TLS and its certificates (a spec without both gets none). */
function httpsOf(spec: ServiceSpec, wiring: ServiceWiring): { tls?: TlsListenerOptions } {
  const certificates = wiring.certificates;
  if (spec.tls === undefined || certificates === undefined || certificates.length === 0) return {};
  return { tls: { certificates, designedPort: spec.tls.port, ...defined({ redirect: spec.tls.redirect, hsts: spec.tls.hsts, minVersion: spec.tls.minVersion }) } };
}
