import type { ApiRefusal } from '../../api/contract/errors.js';
import type { ServedCertificate } from '../http/tls-listener.js';
/**
 * The lab's public types: what a lab is built with (how services are created, pinned
 * ports), and what its callers hand it (faults, live edits, traffic), plus the error it
 * refuses with. Moved out of lab.ts unchanged; lab.ts re-exports them.
 */
import type { HealthCheck, NaclRule, SgInboundRule, SgOutboundRule } from '../../model/types.js';
import type { LoadProgress, RequestOutcome } from '../load/types.js';
import type { BalancingAlgorithm, ConnectGate, Endpoint, LabResolver, LabService, ResolveName, ServiceEventListener, UpstreamTarget } from '../services/types.js';
import type { PlannedService } from './plan-types.js';

/** One service to create: a planned node, or an instance of an auto-scaling group. */
export interface ServiceSpec extends PlannedService {
  /** The service id: the node id, or `group#n` for an instance. */
  id: string;
  group?: string;
  /** A pinned loopback port (default 0: any free port). */
  port?: number;
}

/** What the lab hands a service when it creates it. */
export interface ServiceWiring {
  gate: ConnectGate;
  resolver: LabResolver;
  /** Where a server's call to a lab node on a port connects: the loopback lab gives the node's loopback endpoint (kept while it is stopped). */
  locate: (nodeId: string, port: number) => Endpoint | undefined;
  /** Host names through the lab's DNS, as this node asks (empty answers when the design has no zone). */
  resolveName: ResolveName;
  onEvent: ServiceEventListener;
  targets: UpstreamTarget[];
  /** Working folder of user commands. */
  cwd?: string;
  /** The certificates of its HTTPS listener (a spec with `tls`), the default first. */
  certificates?: ServedCertificate[];
  /** The project's CA (PEM), the only one a spec with `upstreamTls` trusts for its upstreams. */
  upstreamCa?: string;
  /** The address to bind (default 127.0.0.1); the kernel lab binds the designed address inside the node's namespace. */
  host?: string;
  /** The design's folder: where an API gateway's secret files are. */
  designFolder?: string;
}

/** Builds the service of one spec; the default builds the real network services. */
export type CreateService = (spec: ServiceSpec, wiring: ServiceWiring) => LabService;

/** How a `Lab` builds its services, which ports it pins and how often it samples metrics. */
export interface LabOptions {
  /** Builds each service (tests may pass their own; the CLI and API use the real ones). */
  createService: CreateService;
  /** Loopback ports pinned per node id; every other service binds port 0. */
  ports?: Record<string, number>;
  /** How often metrics are emitted and scaling is evaluated, ms. Default 250. */
  metricsIntervalMs?: number;
  /** Working folder of user commands. */
  cwd?: string;
  /** The design's folder: its `.topolab/` holds the project's CA (default: the working directory). */
  projectFolder?: string;
  /** The design's folder, where API-gateway secret files are found (relative paths resolve against it). */
  designFolder?: string;
}

/** A fault injected while the lab runs (`lab.inject`). */
export interface LabFault {
  nodeId: string;
  action: 'stop' | 'start' | 'latency' | 'error-rate' | 'drop-route' | 'restore-route' | 'purge';
  /** Milliseconds for `latency`, a share 0..1 for `error-rate`. */
  value?: number;
  /** The destination CIDR of the route to drop or restore (default: every route of the table). */
  route?: string;
  /** `purge`: only entries of this path (default: everything). */
  path?: string;
}

/** A property edit applied to the running lab (`lab.configure`), as the app's inspector makes it. */
export interface LabReconfiguration {
  nodeId: string;
  /** A server's weight, in every balancer in front of it (0 takes it out of rotation). */
  weight?: number;
  /** A balancer's active health check; `null` turns checks off. */
  healthCheck?: HealthCheck | null;
  algorithm?: BalancingAlgorithm;
  /** A filtered node's security groups; `null` lists none (its VPC's default group applies). */
  securityGroups?: string[] | null;
  /** A security group's or network ACL's inbound rules. */
  inbound?: (SgInboundRule | NaclRule)[];
  /** A security group's or network ACL's outbound rules. */
  outbound?: (SgOutboundRule | NaclRule)[];
  /** A network ACL's subnets. */
  subnets?: string[];
  /** Whether a security group or network ACL is its VPC's default. */
  default?: boolean;
}

/** Where lab traffic goes and what it asks for: what `load` and `request` share. */
export interface LabTrafficTarget {
  /** A node of the design the traffic comes from: the flow must be reachable in the design. */
  from?: string;
  to: string;
  /** Send through this forward proxy (absolute-form requests to `to`'s designed address). */
  via?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** To `to`'s HTTPS listener, trusting the project's CA. */
  https?: boolean;
}

/** Load sent through the lab (`lab.load`). */
export interface LabLoadOptions extends LabTrafficTarget {
  requests?: number;
  durationSeconds?: number;
  concurrency?: number;
  /** Distinct 127.x source addresses to spread connections over (Linux). */
  sources?: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  /** Paces the run to this many requests per second. */
  rps?: number;
  /** Called for every finished request. */
  onRequest?: (record: RequestOutcome) => void;
}

/** One request through the lab (`lab.request`). */
export interface LabRequestOptions extends LabTrafficTarget {
  body?: string;
  /**
   * With `via` (a forward proxy): the absolute URL to ask the proxy for instead of `to`'s
   * designed address, e.g. a host outside the lab to see the proxy refuse it.
   */
  target?: string;
}

/** Why a lab call was refused; `code` maps onto the API's error codes. */
export class LabError extends Error {
  constructor(
    readonly code: 'not-running' | 'not-found' | 'bad-input' | 'blocked' | 'conflict' | 'failed',
    message: string,
    /** With `blocked`: the design's refusal of the flow, field by field (the API error's `refusal`). */
    readonly refusal?: ApiRefusal,
  ) {
    super(message);
    this.name = 'LabError';
  }
}
