/**
 * The live lab: the only part of core with sockets. `createLab(topology)` runs a design
 * as real services on loopback; `runLoad` is the traffic generator.
 */
import type { Topology } from '../model/types.js';
import { Lab, type LabOptions } from './lab/lab.js';
import { createRealService } from './lab/services.js';

export * from './lab/index.js';
export * from './load/index.js';

/** A lab of the real network services (the CLI's, the API's and the desktop's). */
export function createLab(topology: Topology, options: Partial<LabOptions> = {}): Lab {
  return new Lab(topology, { createService: createRealService, ...options });
}
