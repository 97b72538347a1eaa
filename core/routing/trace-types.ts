import type { FilterDirection, TrafficProtocol } from './filters/rules.js';

export type { FilterDirection, TrafficProtocol };

/** What to trace: from a node id to a node id or an IP address, optionally on a port. */
export interface TraceRequest {
  from: string;
  /** A node id, an auto-scaling instance (`group#n`) or an IP address. */
  to: string;
  /** The destination port; by default the destination node's listening port, which the destination must listen on. */
  port?: number;
  /** `tcp` unless given. Route tables do not read it; filters (security groups, ACLs) do. */
  protocol?: TrafficProtocol;
  /**
   * The initiator's source port: network ACLs must let the replies back to this port only,
   * instead of to every port of the initiator's ephemeral range.
   */
  sourcePort?: number;
}

/** The kind of one step of a path. */
export type HopKind =
  | 'node' // the source or destination node (or auto-scaling instance)
  | 'address' // a destination address that no node owns
  | 'subnet'
  | 'route-table'
  | 'route' // the route the table chose for the destination
  | 'return-route' // the route the far side uses for the replies
  | 'local' // delivered inside the VPC by its local route
  | 'internet-gateway'
  | 'nat-gateway'
  | 'instance' // a server or forward proxy a route targets, forwarding as a router
  | 'peering'
  | 'internet'
  | 'security-group' // a security group rule let the traffic pass
  | 'network-acl'; // a network ACL rule let the traffic (or its reply) pass

/** The request, or its reply on the way back (network ACLs are stateless: both need rules). */
export type FlowLeg = 'request' | 'response';

/** The rule that let the traffic through a filter, on `security-group` and `network-acl` hops. */
export interface HopFilter {
  direction: FilterDirection;
  leg: FlowLeg;
  /** `security-group`: the rule's index in the group's `inbound` or `outbound`; `network-acl`: the rule number. */
  rule: number;
  /** What the filter guards: the node (or instance) a security group filters, the subnet an ACL sits at. */
  guards: string;
}

/** One step of a traced path. `--json` prints these as they are. */
export interface Hop {
  kind: HopKind;
  /** The node of this step (the security group or ACL, on filter hops); absent for the internet, routes and bare addresses. */
  nodeId?: string;
  /** One sentence a person reads. */
  description: string;
  /** The address at this step (`10.0.1.10:80`), for nodes and addresses. */
  address?: string;
  /** The route chosen, for `route` and `return-route` steps. */
  route?: { table: string; destination: string; target: string; implicit: boolean };
  /** The rule that matched, for `security-group` and `network-acl` steps. */
  filter?: HopFilter;
}

/**
/**
 * A suggested edit that clears a block, where one is clear: set `field` of node `nodeId`
 * to `value` (the shape of a validation fix, which `connection-blocked` passes on). A
 * suggestion only: the flow's verdict does not depend on it.
 */
export interface TraceFix {
  /** What the fix does: "Make lb internet-facing". */
  title: string;
  nodeId: string;
  field: string;
  value: unknown;
}

/**
 * Why the routing blocks a flow (`blockedBy.code` of a routing block). docs/cli.md lists
 * them with what each means.
 */
export const ROUTING_BLOCK_CODES = [
  'no-subnet',
  'no-route-table',
  'no-route',
  'blackhole',
  'route-target-invalid',
  'routing-loop',
  'nat-in-private-subnet',
  'local-route-only',
  'address-unowned',
  'peering-mismatch',
  'peering-no-return-route',
  'igw-not-attached',
  'not-internet-routable',
  'no-public-source',
  'no-internet-gateway',
  'private-subnet',
  'not-internet-facing',
  'port-closed',
  'no-return-route',
  'no-shared-protocol',
  // A trace to a DNS name the design's zones do not answer for the source (trace-name.ts).
  'dns-no-answer',
] as const;

/** One of `ROUTING_BLOCK_CODES`. */
export type RoutingBlockCode = (typeof ROUTING_BLOCK_CODES)[number];

/** The routing blocks the flow: `nodeId` is the route table, gateway, subnet, VPC or node to fix. */
export interface RoutingBlock {
  code: RoutingBlockCode;
  nodeId: string;
  reason: string;
  /** A suggested edit that clears the block, where one is clear (e.g. `not-internet-facing`, `peering-no-return-route`). */
  fix?: TraceFix;
}

/** The security groups of a node refuse the flow. */
export interface SecurityGroupBlock {
  code: 'security-group';
  /** The node (or auto-scaling instance's group) whose security groups refuse. */
  nodeId: string;
  direction: FilterDirection;
  reason: string;
  /** A suggested edit, where one is clear (none is offered for groups today). */
  fix?: TraceFix;
}

/** A network ACL refuses the flow or its reply. */
export interface NetworkAclBlock {
  code: 'network-acl';
  /** The ACL. */
  nodeId: string;
  direction: FilterDirection;
  leg: FlowLeg;
  /** The rule number that denied; `null` for the final deny (no rule matched). */
  rule: number | null;
  reason: string;
  /** A suggested edit, where one is clear (none is offered for ACLs today). */
  fix?: TraceFix;
}

/**
 * Why a flow is blocked: what blocks it (`code`), the node to fix, a sentence a person
 * understands and, on any of them, an optional suggested `fix`.
 */
export type BlockedBy = RoutingBlock | SecurityGroupBlock | NetworkAclBlock;

/** Every `blockedBy.code`: the routing codes, `security-group` and `network-acl`. */
export type BlockCode = BlockedBy['code'];

/**
 * The verdict for one instance of an auto-scaling group, when a trace starts or ends at a
 * group: each instance routes from (or is reached in) its own subnet.
 */
export interface InstanceVerdict {
  /** The instance, `group#n`, numbered as the lab numbers them. */
  id: string;
  /** The subnet its address was allocated in. */
  subnetId: string;
  /** Its designed address (`10.0.2.5:8080`). */
  address: string;
  verdict: 'reachable' | 'blocked';
  blockedBy?: BlockedBy;
}

/**
 * The verdict of a trace; `blockedBy` names the node to fix and why. A trace from or to an
 * auto-scaling group adds `instances`, one verdict per instance, and is reachable only when
 * every instance is: the top-level hops are those of the first blocked instance (else the
 * first instance).
 */
export interface TraceResult {
  verdict: 'reachable' | 'blocked';
  hops: Hop[];
  blockedBy?: BlockedBy;
  instances?: InstanceVerdict[];
  /** A trace to a DNS name of the design: how it resolved, and each answer traced. */
  dns?: DnsTrace;
}

/**
 * A name resolved as the lab's DNS answers the client (every value healthy), and one trace
 * per answered address. The verdict is reachable only when every answer is: a client may be
 * handed any of them.
 */
export interface DnsTrace {
  name: string;
  rcode: string;
  cnames: string[];
  answers: { address: string; nodeId?: string; verdict: 'reachable' | 'blocked'; blockedBy?: BlockedBy; hops: Hop[] }[];
}
