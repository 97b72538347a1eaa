/**
 * The lab's periodic tick: every service's metrics, each auto-scaling group's tracked
 * metric (requests in flight or requests per second over its serving instances) handed to
 * the group's scaling, and one `metrics` event with both.
 */
import type { NodeMetrics } from '../services/types.js';
import type { LabContext } from './context.js';
import type { LabMetricsEvent } from './events.js';

/** One tick: samples, feeds target tracking, emits `metrics`. */
export function tick(ctx: LabContext): void {
  if (ctx.state !== 'running') return;
  const now = Date.now();
  const seconds = Math.max(0.001, (now - ctx.lastTick) / 1000);
  ctx.lastTick = now;
  const nodes = ctx.metrics();
  const inFlight = inFlightByTarget(nodes);
  const byId = new Map(nodes.map((m) => [m.nodeId, m]));
  const groups: LabMetricsEvent['groups'] = [];
  for (const group of ctx.groups.values()) {
    let value = 0;
    for (const id of group.ready) {
      const running = ctx.running.get(id);
      const requests = byId.get(id)?.requests ?? 0;
      if (group.plan.targetTracking?.metric === 'rps') value += Math.max(0, requests - (running?.lastRequests ?? requests)) / seconds;
      else value += inFlight.get(id) ?? 0;
      if (running) running.lastRequests = requests;
    }
    const tracking = group.plan.targetTracking;
    groups.push({
      id: group.id,
      instances: group.ready.length,
      desired: group.desired,
      ...(tracking ? { metric: { name: tracking.metric, value: Math.round(value * 100) / 100, target: tracking.target } } : {}),
    });
    const step = group.observe(value, now);
    if (step) {
      ctx.pending.add(step);
      void step.finally(() => ctx.pending.delete(step));
    }
  }
  ctx.emit({ type: 'metrics', event: { at: now, nodes, groups, ...(ctx.dns ? { dns: ctx.dns.metrics() } : {}) } });
}

/** Requests every forwarder has in flight to each target, summed over the forwarders. */
export function inFlightByTarget(nodes: readonly NodeMetrics[]): Map<string, number> {
  const inFlight = new Map<string, number>();
  for (const m of nodes) for (const [target, u] of Object.entries(m.upstreams ?? {})) inFlight.set(target, (inFlight.get(target) ?? 0) + u.active);
  return inFlight;
}
