import { KIND_TRAITS } from '../../model/kinds/index.js';
import type { TopologyIndex } from '../../model/queries.js';
import type { Topology } from '../../model/types.js';
import { trace } from '../../routing/trace.js';

/** Id of the stand-in internet client used when the design draws none. */
const INTERNET_PROBE = 'topolab-internet-probe';

/**
 * The nodes the design makes reachable from outside: every node some client of the
 * design can reach by `trace`, plus what the internet can reach (an internet-facing
 * balancer in a public subnet) even when no internet client is drawn. Pure.
 */
export function entryPoints(topology: Topology, index: TopologyIndex): Set<string> {
  const clients = index.ofKind('client');
  const hasInternetClient = clients.some((c) => c.parent === undefined);
  const probe = hasInternetClient || index.node(INTERNET_PROBE) ? undefined : INTERNET_PROBE;
  const traced: Topology = probe ? { ...topology, nodes: [...topology.nodes, { kind: 'client', id: probe }] } : topology;
  const sources = [...clients.map((c) => c.id), ...(probe ? [probe] : [])];
  const out = new Set<string>();
  for (const node of topology.nodes) {
    // An entry point takes requests (servers, forwarders, forward proxies, groups); a group's template server is none.
    if (KIND_TRAITS[node.kind].receives === false || index.nodeOfKind(node.parent, 'autoscaling-group')) continue;
    for (const from of sources) {
      if (reachable(traced, from, node.id)) {
        out.add(node.id);
        break;
      }
    }
  }
  return out;
}

function reachable(topology: Topology, from: string, to: string): boolean {
  try {
    return trace(topology, { from, to }).verdict === 'reachable';
  } catch {
    return false; // a node the tracer cannot place is no entry point
  }
}
