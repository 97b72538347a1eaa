/// <reference lib="webworker" />
import type { Topology } from '../../core/model/index.js';
import { validateTopology } from '../../core/validate/index.js';

/**
 * Validation off the main thread for large designs: the page posts `{ id, topology }`
 * and gets `{ id, diagnostics }` (or `{ id, error }`) back. The id lets the page drop
 * answers for documents that changed in the meantime.
 */
self.onmessage = (event: MessageEvent<{ id: number; topology: Topology }>) => {
  const { id, topology } = event.data;
  try {
    (self as unknown as Worker).postMessage({ id, diagnostics: validateTopology(topology) });
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
