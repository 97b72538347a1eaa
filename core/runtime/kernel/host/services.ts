import type { ServiceSpec, ServiceWiring } from '../../lab/lab.js';
import { serviceOptions } from '../../lab/service-options.js';
import type { LabService } from '../../services/types.js';

/**
 * Builds a node's service inside its host, importing only that service's module: a
 * backend host never loads the HTTP client the balancers need, which keeps a host's
 * start (and a 50-node lab's) short. The options are the loopback lab's (serviceOptions).
 */
export async function createHostService(spec: ServiceSpec, wiring: ServiceWiring): Promise<LabService> {
  const built = serviceOptions(spec, wiring);
  switch (built.role) {
    case 'backend':
      return new (await import('../../services/backend.js')).Backend(built.options);
    case 'command':
      return new (await import('../../services/command.js')).CommandBackend(built.options);
    case 'l7-balancer':
      return new (await import('../../services/l7-balancer.js')).L7Balancer(built.options);
    case 'l4-balancer':
      return new (await import('../../services/l4-balancer.js')).L4Balancer(built.options);
    case 'reverse-proxy':
      return new (await import('../../services/reverse-proxy.js')).ReverseProxy(built.options);
    case 'cache':
      return new (await import('../../services/cache.js')).Cache(built.options);
    case 'forward-proxy':
      return new (await import('../../services/forward-proxy.js')).ForwardProxy(built.options);
  }
}
