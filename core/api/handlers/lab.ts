import { dirname, resolve } from 'node:path';
import { checkRelativeName } from '../../files/sandbox.js';
import { Lab, LabError, type LabFault } from '../../runtime/lab/lab.js';
import { describeUserCommands, userCommands } from '../../runtime/lab/commands.js';
import { LabPlanError } from '../../runtime/lab/plan.js';
import { runScenario } from '../../runtime/scenario/run.js';
import { createRealService } from '../../runtime/lab/services.js';
import { ApiError, type ApiErrorCode } from '../contract/errors.js';
import { KERNEL_FAULT_ACTIONS } from '../contract/lab.js';
import { KernelLab } from '../../runtime/kernel/kernel-lab.js';
import { kernelLabSupport } from '../../runtime/kernel/support.js';
import type { Handlers, ServiceContext } from './types.js';
import { RunProgress } from './lab-progress.js';

type LabHandlers = Pick<Handlers, 'lab.start' | 'lab.stop' | 'lab.status' | 'lab.inject' | 'lab.load' | 'lab.request' | 'lab.cancel' | 'lab.configure' | 'lab.scenario' | 'lab.modes'>;

/** The folder of a design named inside the served folder: where its gateway's secret files are. */
function designFolderOf(root: string | undefined, design: string): string {
  if (root === undefined) throw new ApiError('bad-input', `design "${design}": this service has no folder of designs, so the design's folder is unknown`);
  const problem = checkRelativeName(design);
  if (problem !== null) throw new ApiError('bad-input', `design: ${problem}`, [{ path: 'design', message: problem }]);
  return dirname(resolve(root, design));
}

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
  /** Load runs under way that have a runId, so `lab.cancel` can end them. */
  const runs = new Map<string, AbortController>();

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
    'lab.modes': async () => {
      const support = await kernelLabSupport();
      return { modes: [{ mode: 'loopback', available: true }, { mode: 'netns', available: support.ok, ...(support.ok ? {} : { reason: support.reason }) }] };
    },
    'lab.start': async ({ topology, ports, allowCommands, mode, engine, design }) =>
      guard(async () => {
        if (lab) throw new ApiError('conflict', 'a lab is already running: call lab.stop first');
        if (engine !== undefined && engine !== 'builtin' && mode !== 'netns') throw new ApiError('bad-input', `engine ${engine} needs mode "netns"`, [{ path: 'engine', message: 'nginx or haproxy needs mode "netns"' }]);
        const commands = userCommands(topology);
        if (commands.length > 0 && allowCommands !== true) {
          throw new ApiError('forbidden', describeUserCommands(commands, 'start the lab with allowCommands'), commands.map((c) => ({ path: c.nodeId, message: c.command })));
        }
        const designFolder = design === undefined ? undefined : designFolderOf(context.options.filesRoot, design);
        // The project's CA (`.topolab/`) is beside the design: an explicit folder first, else the design's, else the served folder.
        const projectFolder = context.options.projectFolder ?? designFolder ?? context.options.filesRoot;
        const shared = { ...(ports ? { ports } : {}), ...(designFolder !== undefined ? { designFolder } : {}) };
        const next =
          mode === 'netns'
            ? new KernelLab(topology, { ...shared, ...(engine ? { engine } : {}) })
            : new Lab(topology, { createService: createRealService, ...shared, ...(projectFolder !== undefined ? { projectFolder } : {}) });
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
        if (!(current instanceof KernelLab) && (KERNEL_FAULT_ACTIONS as readonly string[]).includes(fault.action)) {
          throw new ApiError('bad-input', `${fault.action} acts on kernel links: it needs the kernel lab (start with mode "netns")`);
        }
        const message = current instanceof KernelLab ? await current.inject(fault) : await current.inject(fault as LabFault);
        return { message, status: current.status() };
      }),
    'lab.load': async ({ runId, ...input }) =>
      guard(async () => {
        const current = running();
        if (runId === undefined) return current.load(input);
        if (runs.has(runId)) throw new ApiError('conflict', `load run "${runId}" is already going`);
        const controller = new AbortController();
        runs.set(runId, controller);
        const tracker = new RunProgress(runId, input.durationSeconds !== undefined ? { durationSeconds: input.durationSeconds } : { requests: input.requests ?? 100 });
        try {
          const result = await current.load({
            ...input,
            signal: controller.signal,
            onRequest: (request) => tracker.record(request),
            onProgress: (progress) => context.emit('lab.progress', tracker.event(progress)),
          });
          const errors = Object.values(result.errors).reduce((sum, n) => sum + n, 0);
          context.emit('lab.progress', tracker.event({ completed: result.requests, elapsedMs: result.durationMs, rps: result.rps, errors }, true));
          return result;
        } finally {
          runs.delete(runId);
        }
      }),
    'lab.request': async (input) => guard(() => running().request(input)),
    'lab.scenario': async ({ name }) =>
      guard(async () => {
        const current = running();
        const scenario = current.topology.scenarios?.find((s) => s.name === name);
        if (!scenario) {
          const known = (current.topology.scenarios ?? []).map((s) => `"${s.name}"`).join(', ');
          throw new ApiError('not-found', `the design has no scenario "${name}"${known ? `; it has ${known}` : ''}`);
        }
        return runScenario(current, scenario);
      }),
    'lab.configure': async (change) =>
      guard(async () => {
        const current = running();
        const message = current.configure(change);
        // The kernel lab rewrites its nftables tables: the next connection obeys the edit once they are in.
        if (current instanceof KernelLab) await current.settled();
        return { message, status: current.status() };
      }),
    'lab.cancel': ({ runId }) => {
      let cancelled = 0;
      for (const [id, controller] of runs) {
        if (runId !== undefined && id !== runId) continue;
        controller.abort();
        cancelled += 1;
      }
      return { cancelled };
    },
  };
}

/** Turns the lab's own errors into API errors with a stable code. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LabError) throw new ApiError(ERROR_CODES[error.code], error.message, undefined, error.refusal);
    if (error instanceof LabPlanError) {
      throw new ApiError('failed', error.message, error.problems.map((p) => ({ path: p.nodeIds.join(', '), message: p.message })));
    }
    if (error instanceof RangeError) throw new ApiError('bad-input', error.message);
    throw error;
  }
}
