import type { Topology } from '../../core/model/index.js';
import type { LabViewState } from './state.js';
import type { FaultInput } from './types.js';

/** One entry of the faults context menu; `ask` entries need a value first. */
export interface FaultItem {
  id: string;
  label: string;
  fault: FaultInput;
  /** The value to ask for: its label, unit, default and bounds. */
  ask?: { label: string; unit: string; initial: number; min: number; max: number; scale?: number };
}

/**
 * The faults that apply to one node of the running lab: stop/start for anything that runs
 * (a group acts on all its instances), latency and error rate for built-in servers and
 * groups, purge for caches, drop/restore for each route of a route table. Pure.
 */
export function faultItems(doc: Topology, lab: LabViewState, nodeId: string): FaultItem[] {
  const items: FaultItem[] = [];
  const node = doc.nodes.find((n) => n.id === nodeId);
  const running = lab.nodes[nodeId];
  const group = lab.groups[nodeId];
  if (running) {
    const up = running.state !== 'stopped' && running.state !== 'crashed';
    items.push(up ? { id: 'stop', label: 'Stop', fault: { nodeId, action: 'stop' } } : { id: 'start', label: 'Start', fault: { nodeId, action: 'start' } });
  } else if (group) {
    items.push({ id: 'stop', label: 'Stop every instance', fault: { nodeId, action: 'stop' } });
    items.push({ id: 'start', label: 'Start every instance', fault: { nodeId, action: 'start' } });
  }
  const backend = running?.role === 'backend' || group !== undefined;
  if (backend) {
    items.push({ id: 'latency', label: 'Add latency…', fault: { nodeId, action: 'latency' }, ask: { label: 'Latency', unit: 'ms', initial: 200, min: 0, max: 600_000 } });
    items.push({ id: 'latency-clear', label: 'Remove latency', fault: { nodeId, action: 'latency', value: 0 } });
    items.push({ id: 'error-rate', label: 'Set error rate…', fault: { nodeId, action: 'error-rate' }, ask: { label: 'Error rate', unit: '%', initial: 50, min: 0, max: 100, scale: 0.01 } });
    items.push({ id: 'error-rate-clear', label: 'No errors', fault: { nodeId, action: 'error-rate', value: 0 } });
  }
  if (running?.role === 'cache') items.push({ id: 'purge', label: 'Purge cache', fault: { nodeId, action: 'purge' } });
  if (node?.kind === 'route-table') {
    const dropped = lab.droppedRoutes.filter((d) => d.table === nodeId);
    for (const route of node.routes) {
      const isDropped = dropped.some((d) => d.route.destination === route.destination);
      items.push(
        isDropped
          ? { id: `restore-${route.destination}`, label: `Restore route ${route.destination} → ${route.target}`, fault: { nodeId, action: 'restore-route', route: route.destination } }
          : { id: `drop-${route.destination}`, label: `Drop route ${route.destination} → ${route.target}`, fault: { nodeId, action: 'drop-route', route: route.destination } },
      );
    }
    if (node.routes.length > 1) items.push({ id: 'drop-all', label: 'Drop every route', fault: { nodeId, action: 'drop-route' } });
    if (dropped.length > 0) items.push({ id: 'restore-all', label: 'Restore every route', fault: { nodeId, action: 'restore-route' } });
  }
  return items;
}
