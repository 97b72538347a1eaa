import type { Route, Topology } from '../../core/model/index.js';
import { ActionRefused } from './errors.js';

/** Replaces the routes of a route table (the table editor commits the whole list). */
export function setRoutes(doc: Topology, input: { tableId: string; routes: Route[] }): Topology {
  let found = false;
  const nodes = doc.nodes.map((node) => {
    if (node.id !== input.tableId || node.kind !== 'route-table') return node;
    found = true;
    return { ...node, routes: input.routes.map((r) => ({ destination: r.destination.trim(), target: r.target })) };
  });
  if (!found) throw new ActionRefused(`No route table "${input.tableId}" in this design`);
  return { ...doc, nodes };
}

/** Makes a table its VPC's main table (and the VPC's other tables not main). */
export function setMainTable(doc: Topology, input: { tableId: string; main: boolean }): Topology {
  const table = doc.nodes.find((n) => n.id === input.tableId);
  if (!table || table.kind !== 'route-table') throw new ActionRefused(`No route table "${input.tableId}" in this design`);
  const nodes = doc.nodes.map((node) => {
    if (node.kind !== 'route-table') return node;
    if (node.id === input.tableId) {
      const { main: _main, ...rest } = node;
      return input.main ? { ...rest, main: true } : rest;
    }
    if (input.main && node.parent === table.parent && node.main) {
      const { main: _main, ...rest } = node;
      return rest;
    }
    return node;
  });
  return { ...doc, nodes };
}
