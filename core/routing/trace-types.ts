/** What to trace: from a node id to a node id or an IP address, optionally on a port. */
export interface TraceRequest {
  from: string;
  /** A node id, an auto-scaling instance (`group#n`) or an IP address. */
  to: string;
  port?: number;
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
  | 'internet';

/** One step of a traced path. `--json` prints these as they are. */
export interface Hop {
  kind: HopKind;
  /** The node of this step; absent for the internet, routes and bare addresses. */
  nodeId?: string;
  /** One sentence a person reads. */
  description: string;
  /** The address at this step (`10.0.1.10:80`), for nodes and addresses. */
  address?: string;
  /** The route chosen, for `route` and `return-route` steps. */
  route?: { table: string; destination: string; target: string; implicit: boolean };
}

/** Why a flow is blocked: the node to fix and a sentence a person understands. */
export interface BlockedBy {
  nodeId: string;
  reason: string;
}

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
}
