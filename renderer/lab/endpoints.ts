import type { Topology } from '../../core/model/index.js';
import type { LabNodeStatus } from './types.js';

/** One row of the endpoints panel. */
export interface EndpointRow {
  id: string;
  name: string;
  role: LabNodeStatus['role'];
  /** The designed `ip:port`. */
  address: string;
  /** The loopback URL, while the node has a port. */
  url?: string;
  /** A command to paste into a terminal. */
  curl?: string;
}

/** Single-quotes a shell word (URLs are safe, but a path may not be). */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Every published entry point (reachable from the internet or from a client of the design),
 * with a ready-to-copy curl: straight to the loopback URL, or `curl -x` through a forward
 * proxy, asking for the designed address of something the lab serves behind it. Pure.
 */
export function endpointRows(doc: Topology, nodes: readonly LabNodeStatus[]): EndpointRow[] {
  const names = new Map(doc.nodes.map((n) => [n.id, n.name ?? n.id]));
  const sample = nodes.find((n) => n.role !== 'forward-proxy' && !n.group) ?? nodes.find((n) => n.role !== 'forward-proxy');
  return nodes
    .filter((n) => n.published && !n.group)
    .map((n) => {
      const row: EndpointRow = { id: n.id, name: names.get(n.id) ?? n.id, role: n.role, address: n.address };
      if (n.url) {
        row.url = n.url;
        row.curl =
          n.role === 'forward-proxy'
            ? `curl -x ${shellQuote(n.url)} ${shellQuote(`http://${sample ? sample.address : 'example.com'}/`)}`
            : `curl -i ${shellQuote(`${n.url}/`)}`;
      }
      return row;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}
