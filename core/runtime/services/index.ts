/**
 * The lab's network services. The lab creates one per node with these factories; the
 * contract (options, live setters, metrics, events) is in ./types.ts.
 */
import { Backend } from './backend.js';
import { Cache } from './cache.js';
import { CommandBackend } from './command.js';
import { ForwardProxy } from './forward-proxy.js';
import { L4Balancer } from './l4-balancer.js';
import { L7Balancer } from './l7-balancer.js';
import { ReverseProxy } from './reverse-proxy.js';
import type {
  BackendOptions,
  BackendService,
  BalancerOptions,
  BalancerService,
  CacheOptions,
  CacheService,
  CommandBackendOptions,
  ForwardProxyOptions,
  ForwardProxyService,
  L7BalancerOptions,
  LabService,
  ReverseProxyOptions,
  ReverseProxyService,
} from './types.js';

export * from './types.js';
export { sampleLatency } from './latency.js';
export { Backend, Cache, CommandBackend, ForwardProxy, L4Balancer, L7Balancer, ReverseProxy };

/** The built-in server app. */
export function createBackend(options: BackendOptions): BackendService {
  return new Backend(options);
}

/** A user command as a backend (PORT and HOST in its environment). */
export function createCommandBackend(options: CommandBackendOptions): LabService {
  return new CommandBackend(options);
}

/** The layer-7 (HTTP) load balancer. */
export function createL7Balancer(options: L7BalancerOptions): BalancerService {
  return new L7Balancer(options);
}

/** The layer-4 (TCP) load balancer. */
export function createL4Balancer(options: BalancerOptions): BalancerService {
  return new L4Balancer(options);
}

/** The reverse proxy / API gateway. */
export function createReverseProxy(options: ReverseProxyOptions): ReverseProxyService {
  return new ReverseProxy(options);
}

/** The caching reverse proxy. */
export function createCache(options: CacheOptions): CacheService {
  return new Cache(options);
}

/** The forward proxy (absolute-form HTTP and CONNECT). */
export function createForwardProxy(options: ForwardProxyOptions): ForwardProxyService {
  return new ForwardProxy(options);
}
