import { Backend } from '../services/backend.js';
import { CommandBackend } from '../services/command.js';
import { L7Balancer } from '../services/l7-balancer.js';
import type { LabService } from '../services/types.js';
import type { CreateService, ServiceSpec, ServiceWiring } from './lab.js';
import { formatAddress } from './lab.js';

/**
 * Builds the real network service of one planned node (core/runtime/services): the
 * default `createService` of every lab the CLI, the API and the desktop start.
 */
export const createRealService: CreateService = (spec: ServiceSpec, wiring: ServiceWiring): LabService => {
  const base = { nodeId: spec.id, onEvent: wiring.onEvent, ...(spec.port !== undefined ? { port: spec.port } : {}) };
  const upstream = { targets: wiring.targets, gate: wiring.gate, ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}) };
  const limits = spec.maxBodyBytes !== undefined ? { maxBodyBytes: spec.maxBodyBytes } : {};
  switch (spec.role) {
    case 'backend':
      return new Backend({
        ...base,
        designedAddress: formatAddress(spec.address),
        ...(spec.backend?.latency !== undefined ? { latency: spec.backend.latency } : {}),
        ...(spec.backend?.errorRate !== undefined ? { errorRate: spec.backend.errorRate } : {}),
      });
    case 'command':
      return new CommandBackend({
        ...base,
        command: spec.backend?.command ?? '',
        ...(wiring.cwd !== undefined ? { cwd: wiring.cwd } : {}),
        env: { TOPOLAB_NODE: spec.id, TOPOLAB_ADDRESS: formatAddress(spec.address) },
      });
    case 'l7-balancer':
      return new L7Balancer({
        ...base,
        ...upstream,
        ...limits,
        ...(spec.algorithm !== undefined ? { algorithm: spec.algorithm } : {}),
        ...(spec.healthCheck !== undefined ? { healthCheck: spec.healthCheck } : {}),
        ...(spec.sticky !== undefined ? { sticky: spec.sticky } : {}),
      });
    default:
      throw new Error(`the ${spec.role} service is not available in this build`);
  }
};
