import { TraceInputError } from '../../routing/endpoints.js';
import { trace } from '../../routing/trace.js';
import { ApiError } from '../contract/errors.js';
import type { Handlers, ServiceContext } from './types.js';

/** Handler of `trace`: an unknown or untraceable endpoint is `not-found` / `bad-input`, never a crash. */
export function createRoutingHandlers(_context: ServiceContext): Pick<Handlers, 'trace'> {
  return {
    trace: ({ topology, from, to, port, protocol, sourcePort }) => {
      try {
        return trace(topology, { from, to, ...(port !== undefined ? { port } : {}), ...(protocol !== undefined ? { protocol } : {}), ...(sourcePort !== undefined ? { sourcePort } : {}) });
      } catch (error) {
        if (error instanceof TraceInputError) throw new ApiError(error.code === 'unknown-node' ? 'not-found' : 'bad-input', error.message);
        throw error;
      }
    },
  };
}
