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
import type { CreateService, ServiceSpec, ServiceWiring } from './lab.js';
import { serviceOptions } from './service-options.js';

/**
 * Builds the real network service of one planned node (core/runtime/services): the
 * default `createService` of every lab the CLI, the API and the desktop start.
 */
export const createRealService: CreateService = (spec: ServiceSpec, wiring: ServiceWiring): LabService => {
  const built = serviceOptions(spec, wiring);
  switch (built.role) {
    case 'backend':
      return createBackend(built.options);
    case 'command':
      return createCommandBackend(built.options);
    case 'l7-balancer':
      return createL7Balancer(built.options);
    case 'l4-balancer':
      return createL4Balancer(built.options);
    case 'reverse-proxy':
      return createReverseProxy(built.options);
    case 'cache':
      return createCache(built.options);
    case 'forward-proxy':
      return createForwardProxy(built.options);
  }
};
