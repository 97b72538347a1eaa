/**
 * Faults and live edits while the lab runs: stop and start a node (or every instance of a
 * group), latency and error rate on built-in servers, purging a cache, dropping and
 * restoring routes, and the property edits the services take live (weight, health check,
 * algorithm). The design's rule says which node a fault applies to; the service applies
 * it through its own operation (no cast by role).
 */
import { messageOf, operationOf, type LabContext, type Running } from './context.js';
import { LabError, type LabFault, type LabReconfiguration } from './lab-types.js';
import { editFilters, editsFilters } from './filter-edits.js';
import { routesAfterRestore, routesToDrop, withoutRoutes } from './routes.js';
import { routingBlock, targetsOf } from './targets.js';

/** Applies one fault; resolves with a sentence saying what changed. */
export async function applyFault(ctx: LabContext, fault: LabFault): Promise<string> {
  const { nodeId, action } = fault;
  if (action === 'drop-route' || action === 'restore-route') return routeFault(ctx, fault);
  const targets = faultTargets(ctx, nodeId);
  switch (action) {
    case 'stop':
      for (const running of targets) {
        await running.service.stop();
        ctx.setNodeState(running, 'stopped', 'stopped by a fault');
      }
      return `stopped ${describeTargets(nodeId, targets)}`;
    case 'start':
      for (const running of targets) {
        if (running.service.endpoint()) continue;
        try {
          running.endpoint = await running.service.start();
        } catch (error) {
          throw new LabError('failed', `node "${running.spec.id}" could not start again: ${messageOf(error)}`);
        }
        const blocked = routingBlock(ctx, running.spec);
        ctx.setNodeState(running, blocked === undefined ? 'healthy' : 'unhealthy', blocked);
      }
      return `started ${describeTargets(nodeId, targets)}`;
    case 'latency': {
      const value = requireValue(fault, 0, 600_000, 'latency in ms');
      for (const running of targets) backendOperation(running, action, 'setLatency')(value);
      const group = ctx.groups.get(nodeId);
      if (group) group.latency = value;
      return `latency of ${describeTargets(nodeId, targets)} set to ${value} ms`;
    }
    case 'error-rate': {
      const value = requireValue(fault, 0, 1, 'error rate (0..1)');
      for (const running of targets) backendOperation(running, action, 'setErrorRate')(value);
      const group = ctx.groups.get(nodeId);
      if (group) group.errorRate = value;
      return `error rate of ${describeTargets(nodeId, targets)} set to ${Math.round(value * 1000) / 10}%`;
    }
    case 'purge': {
      let dropped = 0;
      for (const running of targets) {
        if (running.spec.role !== 'cache') throw new LabError('bad-input', `"${running.spec.id}" is a ${running.spec.role}: only caches can be purged`);
        dropped += operationOf(running, 'purge')(fault.path);
      }
      return `purged ${dropped} entr${dropped === 1 ? 'y' : 'ies'} from ${nodeId}${fault.path ? ` for ${fault.path}` : ''}`;
    }
  }
}

/**
 * Applies property edits the services can take live: a server's weight (sent to every
 * balancer in front of it), a balancer's health check or algorithm, and the design's
 * filters (./filter-edits.ts). The plan keeps the new values, so instances and restarts
 * use them too. Returns what changed.
 */
export function reconfigure(ctx: LabContext, change: LabReconfiguration): string {
  if (editsFilters(change)) {
    if (change.weight !== undefined || change.healthCheck !== undefined || change.algorithm !== undefined) {
      throw new LabError('bad-input', 'a filter edit (security groups, rules, subnets, default) goes alone, not with weight, healthCheck or algorithm');
    }
    return editFilters(ctx, change);
  }
  const running = ctx.running.get(change.nodeId);
  if (!running) throw new LabError('not-found', `"${change.nodeId}" is not a running node of this lab`);
  const done: string[] = [];
  if (change.weight !== undefined) {
    if (running.spec.role !== 'backend' && running.spec.role !== 'command') throw new LabError('bad-input', `weight applies to servers; "${change.nodeId}" is a ${running.spec.role}`);
    if (!Number.isInteger(change.weight) || change.weight < 0 || change.weight > 256) throw new LabError('bad-input', `weight must be an integer from 0 to 256, got ${change.weight}`);
    running.spec.backend = { ...running.spec.backend, weight: change.weight };
    for (const forwarder of ctx.running.values()) {
      if (forwarder.spec.upstreams.includes(change.nodeId) && (forwarder.spec.role === 'l7-balancer' || forwarder.spec.role === 'l4-balancer')) {
        operationOf(forwarder, 'setWeight')(change.nodeId, change.weight);
      }
    }
    done.push(`weight of ${change.nodeId} set to ${change.weight}`);
  }
  if (change.healthCheck !== undefined || change.algorithm !== undefined) {
    if (running.spec.role !== 'l7-balancer' && running.spec.role !== 'l4-balancer') {
      throw new LabError('bad-input', `health checks and algorithms apply to balancers; "${change.nodeId}" is a ${running.spec.role}`);
    }
    if (change.healthCheck !== undefined) {
      operationOf(running, 'setHealthCheck')(change.healthCheck ?? undefined);
      if (change.healthCheck) running.spec.healthCheck = change.healthCheck;
      else delete running.spec.healthCheck;
      done.push(change.healthCheck ? `health check of ${change.nodeId} updated` : `health checks of ${change.nodeId} turned off`);
    }
    if (change.algorithm !== undefined) {
      operationOf(running, 'setAlgorithm')(change.algorithm);
      running.spec.algorithm = change.algorithm;
      done.push(`algorithm of ${change.nodeId} set to ${change.algorithm}`);
    }
  }
  if (done.length === 0) throw new LabError('bad-input', 'nothing to change: give weight, healthCheck or algorithm');
  return done.join('; ');
}

function routeFault(ctx: LabContext, fault: LabFault): string {
  try {
    if (fault.action === 'drop-route') {
      const drop = routesToDrop(ctx.topology, fault.nodeId, fault.route, ctx.dropped);
      ctx.dropped = [...ctx.dropped, ...drop];
    } else {
      ctx.dropped = routesAfterRestore(ctx.dropped, fault.nodeId, fault.route);
    }
  } catch (error) {
    throw new LabError('bad-input', messageOf(error));
  }
  ctx.requireGate().setTopology(withoutRoutes(ctx.design, ctx.dropped));
  // Re-sent lists make every forwarder ask the gate again: blocked targets leave rotation.
  for (const running of ctx.running.values()) {
    if (running.spec.upstreams.length > 0) operationOf(running, 'setTargets')(targetsOf(ctx, running.spec));
  }
  const which = fault.route ?? 'every route';
  return fault.action === 'drop-route' ? `dropped ${which} from route table ${fault.nodeId}` : `restored ${which} in route table ${fault.nodeId}`;
}

/** The running services a fault on `nodeId` acts on: the node, or every instance of a group. */
function faultTargets(ctx: LabContext, nodeId: string): Running[] {
  const group = ctx.groups.get(nodeId);
  if (group) return [...group.ready, ...group.launching].flatMap((id) => ctx.running.get(id) ?? []);
  const running = ctx.running.get(nodeId);
  if (!running) throw new LabError('not-found', `"${nodeId}" is not a running node of this lab`);
  return [running];
}

/** A built-in server's fault operation; other services refuse the fault. */
function backendOperation<K extends 'setLatency' | 'setErrorRate'>(running: Running, action: string, name: K): ReturnType<typeof operationOf<K>> {
  if (running.spec.role !== 'backend') {
    throw new LabError('bad-input', `${action} applies to built-in servers; "${running.spec.id}" is a ${running.spec.role}`);
  }
  return operationOf(running, name);
}

function describeTargets(nodeId: string, targets: Running[]): string {
  return targets.length === 1 && targets[0]?.spec.id === nodeId ? nodeId : `${nodeId} (${targets.map((t) => t.spec.id).join(', ') || 'no instances'})`;
}

function requireValue(fault: LabFault, min: number, max: number, what: string): number {
  const value = fault.value;
  if (value === undefined || !Number.isFinite(value) || value < min || value > max) {
    throw new LabError('bad-input', `${fault.action} on "${fault.nodeId}" needs a value: ${what}, from ${min} to ${max}`);
  }
  return value;
}
