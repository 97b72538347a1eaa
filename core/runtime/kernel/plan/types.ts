/**
 * The kernel lab's plan: the design as Linux network namespaces, interfaces, addresses,
 * policy routes and nftables rules, computed without any I/O (./network.ts) and carried
 * out by the sandbox (../sandbox.ts). Every name here is an `ip`/`nft` name inside the
 * lab's own namespaces, never one of the host's.
 */

/** What a namespace stands for. */
export type NamespaceRole = 'router' | 'internet' | 'node' | 'client';

/** One end of a veth pair: an interface name in a namespace. */
export interface LinkEnd {
  ns: string;
  dev: string;
}

/** A veth pair created from its `a` end's namespace (the `b` end is created in `b.ns`, down). */
export interface VethPair {
  a: LinkEnd;
  b: LinkEnd;
  /** Bridge (in `a.ns`) the `a` end is enslaved to, for a node's port on its subnet. */
  master?: string;
}

/** An address on an interface; IPv6 addresses skip duplicate detection. */
export interface InterfaceAddress {
  dev: string;
  /** `10.0.1.10/24`, `2001:db8::10/64`. */
  cidr: string;
  /** Add no prefix route: the node sends everything, its own subnet included, to its router. */
  noPrefixRoute?: boolean;
}

/** One kernel route. `table` absent: the main table. */
export interface KernelRoute {
  family: 4 | 6;
  table?: number;
  /** A CIDR, or `default`. */
  destination: string;
  type: 'unicast' | 'blackhole' | 'unreachable';
  via?: string;
  dev?: string;
  /** A route to a directly attached neighbour (the node's router, a client). */
  scopeLink?: boolean;
  metric?: number;
  /** The design route this kernel route stands for (none for connected and catch-all routes). */
  design?: { table: string; destination: string; target: string };
}

/** A policy-routing rule: traffic entering by `iif` is looked up in `table`, or dropped. */
export interface KernelRule {
  family: 4 | 6;
  priority: number;
  iif: string;
  table?: number;
  blackhole?: boolean;
}

/** Everything one namespace holds. */
export interface NamespacePlan {
  name: string;
  role: NamespaceRole;
  /** The design node it stands for: a VPC (router), a node, or an auto-scaling instance (`asg#2`). */
  nodeId?: string;
  /** `/proc/sys` paths (`net/ipv4/ip_forward`) and values, written before any interface comes up. */
  sysctls: [string, string][];
  bridges: string[];
  /** Pairs this namespace creates. */
  veths: VethPair[];
  /** Interfaces it brings up once configured (its own ends and ends others created into it). */
  up: string[];
  addresses: InterfaceAddress[];
  routes: KernelRoute[];
  rules: KernelRule[];
  /**
   * nftables tables (`nft -f`), one text per table, by name: `topolab-igw` (an internet
   * gateway's NAT), `topolab-nat` (a NAT gateway). Filters slot in here as tables of their
   * own: a node's security groups as a stateful `topolab-sg` (conntrack) in its namespace,
   * a subnet's ACL as a stateless `topolab-acl` on the router, matching its bridge. A table
   * is replaced whole, in one `nft -f` transaction, when its rules change.
   */
  nftables: Record<string, string>;
}

/** How a node is addressed in the lab: its designed address, and its public one behind an internet gateway. */
export interface NodeAddressing {
  /** The designed address (or, for an internet client without one, the address the lab gave it). */
  private: string;
  /** Further addresses (an internet client without a designed address gets IPv4 and IPv6). */
  extra?: string[];
  /** The address the internet reaches it at: 1:1 NAT for IPv4, the address itself for global IPv6. */
  public?: string;
  /** Whether the internet may open connections to it (an internal balancer or a NAT gateway may not). */
  inbound: boolean;
}

/** A reason the design cannot become a kernel lab. */
export interface KernelPlanProblem {
  code: string;
  message: string;
  nodeIds: string[];
}

/** The whole kernel network of one design. */
export interface KernelNetworkPlan {
  /** In execution order: routers, then the internet, then nodes and clients. */
  namespaces: NamespacePlan[];
  /** Design node id (or instance id `asg#2`) -> the namespace it lives in. */
  nodeNamespaces: Record<string, string>;
  /** Design node id (or instance id) -> its addresses in the lab. */
  addressing: Record<string, NodeAddressing>;
  /**
   * What a link fault acts on, by design node id: a node's or instance's link to its subnet
   * (both ends), a subnet's bridge, an internet gateway's link to the internet, a peering's link.
   */
  links: Record<string, LinkEnd[]>;
  /** Node id of each VPC -> its router namespace. */
  routers: Record<string, string>;
  /** Node id of each VPC -> its resolver address (base + 2), on its router's loopback interface; where the lab's DNS answers (only when the design has zones). */
  resolvers: Record<string, string>;
}

export type KernelPlanResult = { ok: true; plan: KernelNetworkPlan } | { ok: false; problems: KernelPlanProblem[] };
