// What the differential test needs to know about a design: the nodes nginx and HAProxy
// replace (entries), the routes each can take with the backends that answer for them, and
// the backend stopped mid-run. Read from the design, the way the lab plans it.
import { DesignView } from '../../../../core/export/design.js';
import { normaliseHostPattern } from '../../../../core/export/escape.js';
import { answeringNodes } from '../../../../core/model/forwarding.js';
import type { ReverseProxyNode, Topology, TopologyNode } from '../../../../core/model/types.js';

/** How an entry forwards. */
export type EntryRole = 'l7-balancer' | 'l4-balancer' | 'reverse-proxy' | 'cache';

/** One node the exports replace, with what the corpus needs about it. */
export interface Entry {
  id: string;
  role: EntryRole;
  node: TopologyNode;
  /** Backends (servers, auto-scaling groups) that may answer through each route, in route order. */
  routes: string[][];
  /** Backends that answer through the entry at all. */
  backends: string[];
  /** A Host value the entry serves (its first rule host, else its designed address). */
  host: string;
}

/** The design as the corpus sees it. */
export interface DesignFacts {
  topology: Topology;
  view: DesignView;
  entries: Entry[];
  /** The server stopped between phase 0 and phase 1. */
  stopNode: string | undefined;
}

/** The backend a served-by id stands for: an auto-scaling instance (`group#2`) stands for its group. */
export function backendOf(servedBy: string): string {
  const hash = servedBy.indexOf('#');
  return hash === -1 ? servedBy : servedBy.slice(0, hash);
}

/** Reads the entries and the stop target of a design. */
export function designFacts(topology: Topology): DesignFacts {
  const view = new DesignView(topology);
  const entries: Entry[] = [];
  for (const node of topology.nodes) {
    const role = roleOf(node);
    const address = view.addresses.get(node.id);
    if (role === undefined || address === undefined) continue;
    const routes = routesOf(view, node);
    const backends = [...new Set(routes.flat())].sort();
    if (backends.length === 0) continue;
    // A host a rule names (and every target can write), else the designed address.
    const firstHost = node.kind === 'reverse-proxy' ? node.rules?.map((r) => (r.host === undefined ? undefined : normaliseHostPattern(r.host))).find((h) => h !== undefined && !h.startsWith('*')) : undefined;
    const host = firstHost ?? (address.ip.includes(':') ? `[${address.ip}]` : address.ip);
    entries.push({ id: node.id, role, node, routes, backends, host });
  }
  return { topology, view, entries, stopNode: stopTarget(view, entries) };
}

function roleOf(node: TopologyNode): EntryRole | undefined {
  if (node.kind === 'load-balancer') return node.layer === 4 ? 'l4-balancer' : 'l7-balancer';
  if (node.kind === 'reverse-proxy') return 'reverse-proxy';
  if (node.kind === 'cache') return 'cache';
  return undefined;
}

/** The routes of a node as the lab plans them: a reverse proxy's rules then its edges (the default pool); one pool otherwise. */
function routesOf(view: DesignView, node: TopologyNode): string[][] {
  const answering = (ids: readonly string[]): string[] => [...new Set(ids.flatMap((id) => answeringNodes(view.index, id)))].sort();
  const edges = view.edgeTargets(node.id).map((t) => t.id);
  if (node.kind !== 'reverse-proxy' || (node.rules ?? []).length === 0) return [answering(edges)];
  const rules = (node as ReverseProxyNode).rules ?? [];
  const routes = rules.map((rule) => answering(rule.upstreams));
  if (edges.length > 0) routes.push(answering(edges));
  return routes;
}

/** A server behind some entry's pool of two or more (so traffic has somewhere to go), else the first backend. */
function stopTarget(view: DesignView, entries: readonly Entry[]): string | undefined {
  const isServer = (id: string): boolean => view.index.node(id)?.kind === 'server';
  for (const entry of entries) {
    for (const route of entry.routes) {
      const servers = route.filter(isServer);
      if (route.length >= 2 && servers.length > 0) return servers[servers.length - 1];
    }
  }
  return entries.flatMap((e) => e.backends).find(isServer);
}

/** Which of an entry's routes a backend can answer for: the served-by "class" compared across systems. */
export function routeClass(entry: Entry, servedBy: string | undefined): string {
  if (servedBy === undefined) return '-';
  const backend = backendOf(servedBy);
  const routes = entry.routes.flatMap((route, i) => (route.includes(backend) ? [i] : []));
  if (routes.length === 0) return `other:${backend}`;
  return entry.routes.length === 1 ? 'pool' : `route ${routes.map((i) => i + 1).join('|')}`;
}
