import { Lab, LabError } from '../../runtime/lab/lab.js';
import { LabPlanError } from '../../runtime/lab/plan.js';
import { createRealService } from '../../runtime/lab/services.js';
import { ApiError, type ApiErrorCode } from '../contract/errors.js';
import type { Handlers, ServiceContext } from '../service.js';

type LabHandlers = Pick<Handlers, 'lab.start' | 'lab.stop' | 'lab.status' | 'lab.inject' | 'lab.load' | 'lab.request'>;

const ERROR_CODES: Record<LabError['code'], ApiErrorCode> = {
  'not-running': 'conflict',
  'not-found': 'not-found',
  'bad-input': 'bad-input',
  blocked: 'failed',
  conflict: 'conflict',
  failed: 'failed',
};

/**
 * Handlers of the live lab. Each service instance owns at most one lab; its events are
 * forwarded as `lab.status`, `lab.metrics` and `lab.log`, and closing the service stops it.
 */
export function createLabHandlers(context: ServiceContext): LabHandlers {
  let lab: Lab | undefined;
  let unsubscribe: (() => void) | undefined;

  const stopLab = async (): Promise<boolean> => {
    const current = lab;
    if (!current) return false;
    lab = undefined;
    await current.stop();
    unsubscribe?.();
    unsubscribe = undefined;
    return true;
  };
  context.onClose(async () => {
    await stopLab();
  });

  const running = (): Lab => {
    if (!lab) throw new ApiError('conflict', 'no lab is running: call lab.start first');
    return lab;
  };

  return {
    'lab.start': async ({ topology, ports }) =>
      guard(async () => {
        if (lab) throw new ApiError('conflict', 'a lab is already running: call lab.stop first');
        const next = new Lab(topology, { createService: createRealService, ...(ports ? { ports } : {}) });
        lab = next;
        unsubscribe = next.on((event) => {
          if (event.type === 'status') context.emit('lab.status', event.event);
          else if (event.type === 'metrics') context.emit('lab.metrics', event.event);
          else context.emit('lab.log', event.event);
        });
        try {
          const status = await next.start();
          return { status, endpoints: next.endpoints() };
        } catch (error) {
          if (lab === next) lab = undefined;
          unsubscribe?.();
          unsubscribe = undefined;
          throw error;
        }
      }),
    'lab.stop': async () => ({ stopped: await stopLab() }),
    'lab.status': () => lab?.status() ?? { state: 'idle', nodes: [], groups: [], droppedRoutes: [] },
    'lab.inject': async (fault) =>
      guard(async () => {
        const current = running();
        const message = await current.inject(fault);
        return { message, status: current.status() };
      }),
    'lab.load': async (input) => guard(() => running().load(input)),
    'lab.request': async (input) => guard(() => running().request(input)),
  };
}

/** Turns the lab's own errors into API errors with a stable code. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LabError) throw new ApiError(ERROR_CODES[error.code], error.message);
    if (error instanceof LabPlanError) {
      throw new ApiError('failed', error.message, error.problems.map((p) => ({ path: p.nodeIds.join(', '), message: p.message })));
    }
    if (error instanceof RangeError) throw new ApiError('bad-input', error.message);
    throw error;
  }
}
