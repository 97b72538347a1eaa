import { parseIPv4Cidr, type CidrProblem } from '../cidr/block.js';
import { providerProfile, type ProviderProfile } from '../cidr/providers.js';
import { resolveAddresses, type ResolvedAddress } from '../model/addresses.js';
import { TopologyIndex } from '../model/queries.js';
import { isAddressableKind } from '../model/kinds.js';
import type { RouteTableNode, SubnetNode, Topology, TopologyNode, VpcNode } from '../model/types.js';
import { routeTableAssociations, type RouteTableAssociations } from '../routing/associations.js';
import { makesSubnetsPublic } from '../routing/tables.js';
import { parseIPv4Span, parseSpan, type Span } from './span.js';

/** One CIDR field of a node: `cidr`, `secondaryCidrs[1]`, `routes[2].destination`. */
export interface CidrField {
  nodeId: string;
  /** The field inside the node, as a fix names it. */
  field: string;
  /** JSON path from the document root, e.g. `nodes[3].cidr`. */
  path: string;
  text: string;
}

/** A CIDR field that did not parse, with the reason from the strict parser. */
export interface CidrFieldProblem extends CidrField {
  problem: CidrProblem;
}

/** A VPC block (primary or secondary) that parsed. */
export interface VpcBlock {
  field: string;
  text: string;
  span: Span;
}

/**
 * What the rules need to know about one subnet, computed in the single context pass so
 * the bulk rules walk one array instead of looking the same things up in maps again.
 */
export interface SubnetFacts {
  readonly node: SubnetNode;
  /** Position in `topology.nodes`. */
  readonly position: number;
  /** Its block, when its CIDR parses. */
  readonly span: Span | undefined;
  /** Its VPC (its parent, when that is a VPC). */
  readonly vpc: VpcNode | undefined;
  /** The table its traffic uses: explicit association, else the VPC's main table. */
  readonly table: RouteTableNode | undefined;
  /** Whether `table` has a default route to an internet gateway of the VPC. */
  readonly public: boolean;
}

/**
 * Everything the rules share, computed once per validation so that no rule re-parses a
 * CIDR or re-walks the tree: parsed blocks of every VPC, subnet and route destination,
 * resolved addresses, the provider profile and route-table associations.
 */
export interface ValidationContext {
  readonly topology: Topology;
  readonly index: TopologyIndex;
  readonly profile: ProviderProfile;
  /** VPC id -> its valid blocks, primary first. */
  readonly vpcBlocks: ReadonlyMap<string, readonly VpcBlock[]>;
  /** Every subnet, in file order. */
  readonly subnets: readonly SubnetFacts[];
  /** Node position -> the facts of the subnet at that position (holes elsewhere). */
  readonly subnetAt: readonly (SubnetFacts | undefined)[];
  /** Route-table id -> the parsed destination of each route (same order; `undefined` if invalid). */
  readonly routeSpans: ReadonlyMap<string, readonly (Span | undefined)[]>;
  /** Every CIDR field that did not parse. */
  readonly cidrProblems: readonly CidrFieldProblem[];
  /** Every addressable node (server, balancer, proxy, cache, NAT gateway, client), in file order. */
  readonly addressable: readonly TopologyNode[];
  /** The position in `topology.nodes` of each node of `addressable` (same order). */
  readonly addressableAt: readonly number[];
  /** Designed address of every addressable node whose `ip` parses or could be assigned. */
  readonly addresses: ReadonlyMap<string, ResolvedAddress>;
  readonly associations: RouteTableAssociations;
  /** Route tables with a default route (of either IP version) to an internet gateway of their own VPC. */
  readonly publicTables: ReadonlySet<RouteTableNode>;
  /** `a|b` for every pair of VPCs joined by a peering, in both orders. */
  readonly peeredVpcs: ReadonlySet<string>;
}

/**
 * Builds the shared context: one pass over route tables, then one over all nodes.
 * `positions`, `parents`, `references`: see TopologyIndex (the loader's id map, parent
 * positions and resolved references of these very nodes, if it has them).
 */
export function buildValidationContext(topology: Topology, positions?: ReadonlyMap<string, number>, parents?: Int32Array, references?: ReadonlyMap<number, readonly number[]>): ValidationContext {
  const index = new TopologyIndex(topology, positions, parents, references);
  const vpcBlocks = new Map<string, VpcBlock[]>();
  const routeSpans = new Map<string, (Span | undefined)[]>();
  const cidrProblems: CidrFieldProblem[] = [];
  const addressable: TopologyNode[] = [];
  const addressableAt: number[] = [];
  const nodes = topology.nodes;

  const parseField = (nodeIndex: number, nodeId: string, field: string, text: string): Span | undefined => {
    const fast = typeof text === 'string' ? parseIPv4Span(text) : undefined;
    if (fast) return fast;
    const result = parseSpan(text);
    if (result.ok) return result.span;
    cidrProblems.push({ nodeId, field, path: `nodes[${nodeIndex}].${field}`, text: String(text), problem: result.problem });
    return undefined;
  };

  // Route tables first: their destinations, and which are public.
  const associations = routeTableAssociations(index);
  const publicTables = new Set<RouteTableNode>();
  // The IP versions whose default route goes to the gateway: a subnet is public for its own block's version only.
  const publicFamilies = new Map<RouteTableNode, Set<4 | 6>>();
  for (const table of index.ofKind('route-table')) {
    const position = index.indexOf(table.id);
    const spans = (table.routes ?? []).map((route, j) => parseField(position, table.id, `routes[${j}].destination`, route.destination));
    routeSpans.set(table.id, spans);
    (table.routes ?? []).forEach((route, j) => {
      const span = spans[j];
      if (span && makesSubnetsPublic(index, span, route.target, table.parent)) {
        publicTables.add(table);
        publicFamilies.set(table, new Set([...(publicFamilies.get(table) ?? []), span.version]));
      }
    });
  }

  // Then every node once: VPC blocks, subnet facts, addressable nodes. No closure in this loop
  // may capture a variable of its body: V8 would allocate a context for every one of the
  // 100,000 steps (this runs once, unoptimized), captured or not.
  const subnets: SubnetFacts[] = [];
  const subnetAt = new Array<SubnetFacts | undefined>(nodes.length);
  // Subnets of one VPC usually come together: remember the last parent's lookups.
  let lastParent: string | undefined;
  let lastVpc: VpcNode | undefined;
  let lastMain: RouteTableNode | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind === 'subnet') {
      if (node.parent !== lastParent) {
        lastParent = node.parent;
        lastVpc = index.nodeOfKind(node.parent, 'vpc');
        lastMain = node.parent === undefined ? undefined : associations.mainByVpc.get(node.parent)?.[0];
      }
      const table = associations.explicitAt[i] ?? lastMain;
      // The strict IPv4 scan first, called directly: this runs 100,000 times, unoptimized, where
      // each call level (parseField, parseIPv4Span) costs about as much as the scan itself.
      const text = node.cidr;
      const span = (typeof text === 'string' ? parseIPv4Cidr(text) : undefined) ?? parseField(i, node.id, 'cidr', text);
      const families = table !== undefined ? publicFamilies.get(table) : undefined;
      const facts: SubnetFacts = {
        node,
        position: i,
        span,
        vpc: lastVpc,
        table,
        public: families !== undefined && (span === undefined || families.has(span.version)),
      };
      subnets.push(facts);
      subnetAt[i] = facts;
    } else if (node.kind === 'vpc') {
      vpcBlocks.set(node.id, blocksOf(node, i, parseField));
    } else if (isAddressableKind(node.kind)) {
      addressable.push(node);
      addressableAt.push(i);
    }
  }

  return {
    topology,
    index,
    profile: providerProfile(topology.provider),
    vpcBlocks,
    subnets,
    subnetAt,
    routeSpans,
    cidrProblems,
    addressable,
    addressableAt,
    addresses: resolveAddresses(index, addressableAt),
    associations,
    publicTables,
    peeredVpcs: peeredPairs(index),
  };
}

/** A VPC's valid blocks, primary first (`parse` records the invalid ones). */
function blocksOf(node: VpcNode, position: number, parse: (position: number, nodeId: string, field: string, text: string) => Span | undefined): VpcBlock[] {
  const blocks: VpcBlock[] = [];
  const primary = parse(position, node.id, 'cidr', node.cidr);
  if (primary) blocks.push({ field: 'cidr', text: node.cidr, span: primary });
  (node.secondaryCidrs ?? []).forEach((text, j) => {
    const field = `secondaryCidrs[${j}]`;
    const span = parse(position, node.id, field, text);
    if (span) blocks.push({ field, text, span });
  });
  return blocks;
}

function peeredPairs(index: TopologyIndex): Set<string> {
  const out = new Set<string>();
  for (const peering of index.ofKind('peering')) {
    const [a, b] = peering.vpcs ?? [];
    if (a === undefined || b === undefined) continue;
    out.add(`${a}|${b}`);
    out.add(`${b}|${a}`);
  }
  return out;
}

/** The facts of the subnet with this id, if it is a subnet. */
export function subnetFacts(context: ValidationContext, id: string | undefined): SubnetFacts | undefined {
  return id === undefined ? undefined : context.subnetAt[context.index.indexOf(id)];
}

/**
 * The facts of the subnet the node at `position` sits in: its parent's (the common case, an
 * array read), else its nearest subnet ancestor's.
 */
export function subnetFactsAt(context: ValidationContext, position: number): SubnetFacts | undefined {
  const { index } = context;
  const parent = index.parentPositionOf(position);
  if (parent < 0) return undefined;
  const direct = context.subnetAt[parent];
  if (direct) return direct;
  const subnet = index.ancestorPositionOfKind(position, 'subnet');
  return subnet < 0 ? undefined : context.subnetAt[subnet];
}

/**
 * Whether a subnet is public: its effective route table (explicit association, else the
 * VPC's main table) has a default route to an internet gateway of the same VPC.
 */
export function isPublicSubnet(context: ValidationContext, subnet: SubnetNode): boolean {
  return subnetFacts(context, subnet.id)?.public ?? false;
}
