/**
 * What the lab makes of its services' events: health changes seen by a forwarder become
 * the target's state, a crashed command becomes `crashed` with the end of its output, and
 * a service's own log lines join the lab's log.
 */
import type { ServiceEvent } from '../services/types.js';
import type { LabContext } from './context.js';
import type { NodeState } from './events.js';

/** Applies one event of a service to the lab's state and log. */
export function onServiceEvent(ctx: LabContext, event: ServiceEvent): void {
  switch (event.type) {
    case 'health': {
      const target = ctx.running.get(event.target);
      if (target && (target.state === 'healthy' || target.state === 'unhealthy')) {
        const next: NodeState = event.healthy ? 'healthy' : 'unhealthy';
        if (target.state !== next) ctx.setNodeState(target, next, event.healthy ? undefined : `${event.nodeId}: ${event.reason}`);
      }
      ctx.log(event.healthy ? 'info' : 'warn', 'health', `${event.nodeId} sees ${event.target} ${event.healthy ? 'healthy' : 'unhealthy'} (${event.source}): ${event.reason}`, event.target);
      return;
    }
    case 'crash': {
      const running = ctx.running.get(event.nodeId);
      const how = event.signal ? `signal ${event.signal}` : `exit code ${event.exitCode}`;
      if (running) ctx.setNodeState(running, 'crashed', `the command exited (${how})`);
      const tail = event.output.trim().split('\n').slice(-5).join('\n');
      ctx.log('error', 'crash', `${event.nodeId} crashed (${how})${tail ? `:\n${tail}` : ''}`, event.nodeId);
      return;
    }
    case 'log':
      ctx.log(event.level, 'service', event.message, event.nodeId);
      return;
    case 'request': {
      const who = event.identity !== undefined ? ` as ${event.identity}` : '';
      const data = { route: event.route, method: event.method, path: event.path, status: event.status, latencyMs: Math.round(event.latencyMs * 100) / 100, requestId: event.requestId, ...(event.identity !== undefined ? { identity: event.identity } : {}) };
      ctx.log(event.status >= 500 ? 'warn' : 'info', 'gateway', `${event.nodeId} ${event.method} ${event.path} -> route ${event.route}${who}: ${event.status} in ${data.latencyMs} ms`, event.nodeId, data);
      return;
    }
    default:
      return; // listening/stopped: the lab sets those states itself
  }
}
