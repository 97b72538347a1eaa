import { DEFAULT_PORTS, KINDS } from '../../../core/model/kinds/index.js';
import type { Topology, TopologyNode } from '../../../core/model/types.js';
import { trace } from '../../../core/routing/trace.js';

/**
 * Compares a design with its import after a round trip through Terraform. Nodes
 * correspond through the `topolab-id` tag the Terraform export writes on every resource.
 */

/** Imported node id -> original id, and back. */
export function correspondence(original: Topology, imported: Topology): { toOriginal: Map<string, string>; toImported: Map<string, string> } {
  const byId = new Map(original.nodes.map((n) => [n.id, n]));
  const toOriginal = new Map<string, string>();
  const toImported = new Map<string, string>();
  // A node of the same kind first; an instance stands for any addressable kind the export
  // turns into one (proxies, caches). Groups the export invents for a node carry its tag too.
  const fits = (node: TopologyNode, original: TopologyNode, loose: boolean) => node.kind === original.kind || (loose && node.kind === 'server' && KINDS[original.kind].traits.addressable);
  for (const loose of [false, true]) {
    for (const node of imported.nodes) {
      const tag = node.tags?.['topolab-id'];
      const twin = tag !== undefined ? byId.get(tag) : undefined;
      if (tag === undefined || !twin || toImported.has(tag) || toOriginal.has(node.id) || !fits(node, twin, loose)) continue;
      toOriginal.set(node.id, tag);
      toImported.set(tag, node.id);
    }
  }
  return { toOriginal, toImported };
}

type Canonical = Record<string, unknown>;

const sorted = (values: unknown[]) => values.map((v) => JSON.stringify(v)).sort();

/** What must survive the round trip, per kind, with ids in the original's terms. */
function canonical(node: TopologyNode, id: (x: string) => string): Canonical | undefined {
  switch (node.kind) {
    case 'vpc':
      return { cidr: node.cidr, secondaryCidrs: [...(node.secondaryCidrs ?? [])].sort() };
    case 'subnet':
      return { vpc: id(node.parent ?? ''), cidr: node.cidr };
    case 'route-table':
      return { vpc: id(node.parent ?? ''), main: node.main === true, subnets: node.subnets.map(id).sort(), routes: sorted(node.routes.filter((r) => r.target !== 'local').map((r) => ({ d: r.destination, t: r.target === 'local' || r.target === 'blackhole' ? r.target : id(r.target) }))) };
    case 'security-group':
      return {
        vpc: id(node.parent ?? ''),
        default: node.default === true,
        inbound: sorted(node.inbound.map((r) => ({ p: r.protocol, ports: r.ports, peer: r.source.includes('/') ? r.source : id(r.source) }))),
        outbound: sorted(node.outbound.map((r) => ({ p: r.protocol, ports: r.ports, peer: r.destination.includes('/') ? r.destination : id(r.destination) }))),
      };
    case 'network-acl':
      // The default ACL holds every subnet no other ACL lists, whether it lists them or not.
      return { vpc: id(node.parent ?? ''), default: node.default === true, subnets: node.default === true ? [] : node.subnets.map(id).sort(), inbound: node.inbound.map((r) => ({ ...r, description: undefined })), outbound: node.outbound.map((r) => ({ ...r, description: undefined })) };
    case 'internet-gateway':
      return { vpc: id(node.parent ?? '') };
    case 'nat-gateway':
      return { subnet: id(node.parent ?? ''), ip: node.ip };
    case 'peering':
      return { vpcs: node.vpcs.map(id) };
    case 'load-balancer':
      return { layer: node.layer, internetFacing: node.internetFacing === true };
    default:
      return undefined;
  }
}

/** Every difference between the corresponding nodes of the network layer (empty when they match). */
export function networkDifferences(original: Topology, imported: Topology, skip: ReadonlySet<string> = new Set()): string[] {
  const { toOriginal, toImported } = correspondence(original, imported);
  const idOf = (x: string) => toOriginal.get(x) ?? `(unmatched ${x})`;
  const same = (x: string) => x;
  const out: string[] = [];
  const byId = new Map(imported.nodes.map((n) => [n.id, n]));
  for (const node of original.nodes) {
    if (skip.has(node.id)) continue;
    const want = canonical(node, same);
    if (want === undefined) continue;
    const twin = toImported.get(node.id);
    const got = twin !== undefined ? byId.get(twin) : undefined;
    if (!got) {
      out.push(`${node.kind} ${node.id}: missing from the import`);
      continue;
    }
    const have = canonical(got, idOf);
    if (JSON.stringify(have) !== JSON.stringify(want)) out.push(`${node.kind} ${node.id}: ${JSON.stringify(want)} became ${JSON.stringify(have)}`);
    if (node.kind === 'subnet' && node.zone !== undefined && got.kind === 'subnet' && got.zone !== node.zone) out.push(`subnet ${node.id}: zone ${node.zone} became ${got.zone}`);
  }
  // A balancer's targets: the edges from it to nodes that correspond.
  for (const lb of original.nodes.filter((n) => n.kind === 'load-balancer')) {
    const twin = toImported.get(lb.id);
    if (twin === undefined) continue;
    const want = original.edges.filter((e) => e.from === lb.id && toImported.has(e.to)).map((e) => e.to).sort();
    const have = imported.edges.filter((e) => e.from === twin).map((e) => idOf(e.to)).sort();
    if (JSON.stringify(want) !== JSON.stringify(have)) out.push(`load-balancer ${lb.id}: targets ${JSON.stringify(want)} became ${JSON.stringify(have)}`);
  }
  return out;
}

function verdict(topology: Topology, from: string, to: string, port: number): string {
  try {
    const result = trace(topology, { from, to, port });
    return result.verdict;
  } catch (error) {
    return `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
}

/** The port a design's node listens on, which both traces use (kinds may change on export: a proxy becomes an instance). */
function listeningPort(node: TopologyNode): number {
  const own = 'port' in node && typeof node.port === 'number' ? node.port : undefined;
  if (node.kind === 'autoscaling-group') return node.template?.port ?? DEFAULT_PORTS.server;
  return own ?? (DEFAULT_PORTS as Record<string, number | undefined>)[node.kind] ?? 80;
}

/**
 * The import with each node listening where its original does. AWS does not say on which
 * port an instance listens (the import takes a registration's port, a group's single
 * inbound port, or the default: tested on their own); the round trip compares what the
 * network does. Returns the design and the ports that differed.
 */
export function withOriginalPorts(original: Topology, imported: Topology): { design: Topology; changed: string[] } {
  const { toOriginal } = correspondence(original, imported);
  const byId = new Map(original.nodes.map((n) => [n.id, n]));
  const changed: string[] = [];
  const nodes = imported.nodes.map((node) => {
    const twin = byId.get(toOriginal.get(node.id) ?? '');
    if (!twin) return node;
    const want = listeningPort(twin);
    if (node.kind === 'autoscaling-group' && twin.kind === 'autoscaling-group') {
      if (node.template?.port === want) return node;
      changed.push(`${twin.id} ${node.template?.port ?? 'default'} -> ${want}`);
      return { ...node, template: { ...node.template, port: want } };
    }
    if (!KINDS[twin.kind].traits.addressable || !('port' in node)) return node;
    if (node.port === want) return node;
    changed.push(`${twin.id} ${node.port ?? 'default'} -> ${want}`);
    return { ...node, port: want };
  });
  return { design: { ...imported, nodes }, changed };
}

/**
 * The design as AWS runs it: a VPC always has a main route table (AWS creates it with the
 * VPC, with the local route), so a VPC the design gives none gets that one. Returns the
 * design and the VPCs that needed it.
 */
export function withImpliedMainTables(design: Topology): { design: Topology; added: string[] } {
  const added = design.nodes.filter((n) => n.kind === 'vpc' && !design.nodes.some((t) => t.kind === 'route-table' && t.parent === n.id && t.main === true)).map((n) => n.id);
  const tables: TopologyNode[] = added.map((vpc) => ({ id: `${vpc}-implied-main`, kind: 'route-table', parent: vpc, main: true, subnets: [], routes: [] }));
  return { design: { ...design, nodes: [...design.nodes, ...tables] }, added };
}

/**
 * The design without the blackhole routes the export reports it cannot write (AWS makes a
 * blackhole only when a route's target is deleted). Returns the design and what it dropped.
 */
export function withoutUnexpressibleRoutes(design: Topology, notExpressible: readonly { nodeId?: string; feature: string; detail: string }[]): { design: Topology; dropped: string[] } {
  const dropped: string[] = [];
  const nodes = design.nodes.map((node) => {
    if (node.kind !== 'route-table') return node;
    const routes = node.routes.filter((r) => {
      const gone = r.target === 'blackhole' && notExpressible.some((e) => e.nodeId === node.id && e.feature === 'route' && e.detail.startsWith(`blackhole route ${r.destination}:`));
      if (gone) dropped.push(`${node.id} ${r.destination}`);
      return !gone;
    });
    return routes.length === node.routes.length ? node : { ...node, routes };
  });
  return { design: { ...design, nodes }, dropped };
}

/** Every trace between corresponding endpoints (and to an internet address) whose verdict differs. */
export function verdictDifferences(original: Topology, imported: Topology, onlyEdges = false): { checked: number; differences: string[] } {
  const { toImported } = correspondence(original, imported);
  const ends = original.nodes.filter((n) => KINDS[n.kind].traits.traceEndpoint && toImported.has(n.id));
  const differences: string[] = [];
  let checked = 0;
  for (const a of ends) {
    const targets: { id: string; twin: string; port: number }[] = ends.filter((b) => b.id !== a.id).map((b) => ({ id: b.id, twin: toImported.get(b.id) as string, port: listeningPort(b) }));
    // The internet sees a node as its kind: where the export turns a proxy or cache into an
    // instance (reported as approximated), its exposure is the instance's.
    const twin = imported.nodes.find((n) => n.id === toImported.get(a.id));
    if (twin?.kind === a.kind) targets.push({ id: '203.0.113.10', twin: '203.0.113.10', port: 443 });
    for (const b of targets) {
      if (onlyEdges && !original.edges.some((e) => e.from === a.id && e.to === b.id)) continue;
      const want = verdict(original, a.id, b.id, b.port);
      const have = verdict(imported, toImported.get(a.id) as string, b.twin, b.port);
      checked++;
      if (want !== have) differences.push(`${a.id} -> ${b.id}:${b.port}: ${want} became ${have}`);
    }
  }
  return { checked, differences };
}

/**
 * The design as AWS holds it once exported: an IPv6 VPC gets the IPv4 block AWS requires
 * (`blocks`: VPC id -> the block the test gave the export's variable) as its primary
 * block, and its IPv6 blocks become secondary ones. Returns the design and the VPCs changed.
 */
export function withRequiredIpv4Blocks(design: Topology, blocks: ReadonlyMap<string, string>): { design: Topology; changed: string[] } {
  const changed: string[] = [];
  const nodes = design.nodes.map((node) => {
    const block = blocks.get(node.id);
    if (node.kind !== 'vpc' || block === undefined) return node;
    changed.push(node.id);
    return { ...node, cidr: block, secondaryCidrs: [node.cidr, ...(node.secondaryCidrs ?? [])] };
  });
  return { design: { ...design, nodes }, changed };
}
