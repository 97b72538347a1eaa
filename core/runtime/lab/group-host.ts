/**
 * What the lab offers its auto-scaling groups (groups.ts): launching an instance's
 * service, marking it healthy, removing it after a drain, re-sending the balancers'
 * target lists, the balancer's health check to probe new instances with, and the load
 * the balancers put on each instance.
 */
import type { Endpoint } from '../services/types.js';
import type { LabContext } from './context.js';
import type { GroupHost } from './groups.js';
import { inFlightByTarget } from './metrics-tick.js';
import { balancerCheckAsProbed } from './readiness.js';
import { startService } from './service-lifecycle.js';
import { refreshTargets } from './targets.js';

/** The host of every scaling group of one lab. */
export function createGroupHost(ctx: LabContext): GroupHost {
  return {
    signal: ctx.lifetime.signal,
    isRunning: () => ctx.state === 'running',
    launch: async (spec) => (await startService(ctx, spec, false)).endpoint as Endpoint,
    markHealthy: (id) => {
      const running = ctx.running.get(id);
      if (running) ctx.setNodeState(running, 'healthy');
    },
    remove: (id) => removeInstance(ctx, id),
    poolChanged: (groupId) => refreshTargets(ctx, groupId),
    healthCheckFor: (groupId) => {
      for (const running of ctx.running.values()) {
        const check = running.spec.healthCheck;
        if (running.spec.upstreams.includes(groupId) && check) return balancerCheckAsProbed(running.spec.role, check);
      }
      return undefined;
    },
    inFlight: (id) => inFlightByTarget(ctx.metrics()).get(id) ?? 0,
    log: (level, message, nodeId, data) => ctx.log(level, 'scale', message, nodeId, data),
  };
}

/** Stops an instance's service and forgets it (scale-in). */
async function removeInstance(ctx: LabContext, id: string): Promise<void> {
  const running = ctx.running.get(id);
  if (!running) return;
  await running.service.stop();
  ctx.running.delete(id);
  const at = ctx.order.indexOf(id);
  if (at >= 0) ctx.order.splice(at, 1);
  running.state = 'stopped';
  running.reason = 'removed by scale-in';
  ctx.emitNode(running);
}
