import type { Route, Topology } from '../../model/types.js';

import type { DroppedRoute } from '../../api/contract/lab-results.js';

/** A route taken out of a route table while the lab runs (the contract's shape). */
export type { DroppedRoute };

/** Why a drop or restore could not be done; the message names the table and route. */
export class RouteFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouteFaultError';
  }
}

/**
 * The design with some routes removed: what the lab's routing gate traces against.
 * Pure: returns a new topology, the design itself is never changed.
 */
export function withoutRoutes(topology: Topology, dropped: readonly DroppedRoute[]): Topology {
  if (dropped.length === 0) return topology;
  return {
    ...topology,
    nodes: topology.nodes.map((node) => {
      if (node.kind !== 'route-table') return node;
      const gone = dropped.filter((d) => d.table === node.id);
      if (gone.length === 0) return node;
      return { ...node, routes: node.routes.filter((r) => !gone.some((d) => sameRoute(d.route, r))) };
    }),
  };
}

/**
 * The routes a `drop-route` fault removes: the route to `destination` in `tableId`, or
 * every route of the table when no destination is given. Throws when the table does not
 * exist or has no such route (still present).
 */
export function routesToDrop(topology: Topology, tableId: string, destination: string | undefined, already: readonly DroppedRoute[]): DroppedRoute[] {
  const table = topology.nodes.find((n) => n.id === tableId);
  if (!table) throw new RouteFaultError(`no node "${tableId}" in this design`);
  if (table.kind !== 'route-table') throw new RouteFaultError(`"${tableId}" is a ${table.kind}, not a route table: routes are dropped from route tables`);
  const present = table.routes.filter((r) => !already.some((d) => d.table === tableId && sameRoute(d.route, r)));
  const chosen = destination === undefined ? present : present.filter((r) => r.destination === destination);
  if (chosen.length === 0) {
    const what = destination === undefined ? 'no routes left to drop' : `no route to ${destination} (routes: ${present.map((r) => `${r.destination} -> ${r.target}`).join(', ') || 'none'})`;
    throw new RouteFaultError(`route table "${tableId}" has ${what}`);
  }
  return chosen.map((route) => ({ table: tableId, route }));
}

/** The dropped routes that stay dropped after restoring `destination` (or all) of `tableId`. */
export function routesAfterRestore(dropped: readonly DroppedRoute[], tableId: string, destination: string | undefined): DroppedRoute[] {
  const kept = dropped.filter((d) => d.table !== tableId || (destination !== undefined && d.route.destination !== destination));
  if (kept.length === dropped.length) {
    throw new RouteFaultError(`route table "${tableId}" has no dropped route${destination === undefined ? '' : ` to ${destination}`} to restore`);
  }
  return kept;
}

function sameRoute(a: Route, b: Route): boolean {
  return a.destination === b.destination && a.target === b.target;
}
