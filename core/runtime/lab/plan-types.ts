import type { EdgeProtocol } from '../../model/kinds/index.js';
import type { GatewayConfig } from '../../model/kinds/gateway-fields.js';
import type { HealthCheck, Latency, Sticky } from '../../model/types.js';

/** What a planned service does; one kind of runtime service each (the contract's roles). */
import type { ServiceRole } from '../../api/contract/lab-results.js';

export type { ServiceRole };

/** A designed address as the design gives it (`10.0.1.10:80`). */
export interface DesignedAddress {
  ip: string;
  port: number;
}

/** One reverse-proxy routing rule, with its upstreams as node ids (first match wins). */
export interface PlannedRule {
  host?: string;
  pathPrefix?: string;
  upstreams: string[];
  rewritePrefix?: string;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
}

/** One call a built-in server makes for each request it serves: an edge of the server (or of its group). */
export interface PlannedCall {
  edgeId: string;
  /** The node called. */
  to: string;
  /** The designed destination port (the edge's, else the port `to` listens on). */
  port: number;
  protocol: EdgeProtocol;
}

/** Settings of a built-in backend app or a user command (a server node or an ASG template). */
export interface BackendSettings {
  latency?: Latency;
  errorRate?: number;
  /** A user command run instead of the built-in app (with PORT and HOST set). */
  command?: string;
  weight?: number;
  /** Its dependencies, in edge order (built-in app only: a command makes its own calls). */
  calls?: PlannedCall[];
  callOrder?: 'parallel' | 'sequential';
  callTimeoutMs?: number;
}

/** HTTPS of a node with an active `tls` block: what the lab certifies and serves. */
export interface PlannedTls {
  /** Host names to certify, the first being the default certificate. */
  hosts: string[];
  /** The designed HTTPS port. */
  port: number;
  redirect?: 301 | 308;
  /** `Strict-Transport-Security` value. */
  hsts?: string;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** One service the lab starts for one node. */
export interface PlannedService {
  nodeId: string;
  role: ServiceRole;
  /** The designed `ip:port` the service stands for. */
  address: DesignedAddress;
  /**
   * Node ids this service forwards to, from the design's edges (balancer pool, proxy
   * default pool, cache origin). An auto-scaling group id stands for its live instances.
   */
  upstreams: string[];
  /** Reverse-proxy rules; upstreams of every rule are also listed in `upstreams`. */
  rules?: PlannedRule[];
  /** Reverse proxy: its API-gateway block (routes, auth, limits, CORS), as designed. */
  gateway?: GatewayConfig;
  backend?: BackendSettings;
  algorithm?: 'round-robin' | 'weighted-round-robin' | 'least-connections' | 'source-hash' | 'random-two';
  healthCheck?: HealthCheck;
  sticky?: Sticky;
  maxBodyBytes?: number;
  timeoutMs?: number;
  /** Cache: LRU bound in bytes and freshness for responses without any. */
  maxBytes?: number;
  defaultTtl?: number;
  /** Forward proxy lists. */
  allow?: string[];
  deny?: string[];
  /** Its HTTPS listener, when the node has TLS. */
  tls?: PlannedTls;
  /** `tls.upstream`: it connects to its upstreams' HTTPS listeners, verified with the project's CA. */
  upstreamTls?: true;
  /** True when the design makes this node an entry point (internet-facing or a client's target). */
  published: boolean;
}

/** An auto-scaling group: instances are backends started and stopped by the scaler. */
export interface PlannedGroup {
  nodeId: string;
  min: number;
  max: number;
  desired: number;
  template: BackendSettings;
  targetTracking?: { metric: 'in-flight' | 'rps'; target: number; cooldownSeconds: number };
  /** Designed addresses of instance 1..max, in order (spread over the group's subnets). */
  instanceAddresses: DesignedAddress[];
  published: boolean;
}

/** A client node: a traffic source, nothing listens for it. */
export interface PlannedClient {
  nodeId: string;
  /** The designed address, when the client has one (clients on the internet may not). */
  address?: DesignedAddress;
  /** Nodes the design draws this client sending to. */
  targets: string[];
}

/** A reason a design cannot run as a lab, naming the nodes it is about. */
export interface LabProblem {
  code: string;
  message: string;
  nodeIds: string[];
}

/** Everything the lab needs to start a design, computed without any I/O. */
export interface LabPlan {
  /** Services in start order: every service comes after its upstreams. */
  services: PlannedService[];
  groups: PlannedGroup[];
  clients: PlannedClient[];
  /** Node ids of the entry points (services and groups reachable from outside). */
  published: string[];
}

export type LabPlanResult = { ok: true; plan: LabPlan } | { ok: false; problems: LabProblem[] };
