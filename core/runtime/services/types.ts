/**
 * The contract between the lab's network services (backend, balancers, proxies, cache,
 * forward proxy) and the orchestration in core/runtime/lab. The lab builds one service
 * per node (or per auto-scaling instance) with the `create*` factories exported from
 * ./index.js, wires upstream targets, injects faults through the live setters and polls
 * `metrics()`.
 *
 * Rules every service follows:
 * - `start()` binds `host` (default 127.0.0.1) on `port` (default 0) and resolves the
 *   bound endpoint. A `start()` after `stop()` rebinds the port it had before, so the
 *   lab's designed-address map stays valid across a stop/start fault.
 * - `stop()` closes listeners, client and upstream sockets, timers, pools and children;
 *   it is idempotent and never rejects.
 * - Before opening an upstream connection a service asks `gate(self, target)`; when the
 *   design's routing or filters refuse the flow it answers 502 with header
 *   `x-topolab-blocked-by` (the blocking route table, gateway, the node whose security
 *   groups refuse, or the network ACL) and a JSON body `BlockedBody` with the `code`.
 *   Target pools ask the gate too, whenever their list is set and before every health
 *   probe: a blocked target is never picked while another is left, is never probed, and is
 *   reported by a `health` event with source `routing`.
 * - Nothing is logged on the hot path; `onEvent` receives state changes (health, crash,
 *   listening, stopped) and rare errors.
 */
import type { HealthCheck, Latency } from '../../model/index.js';
import type { NodeMetrics, ServiceRole } from '../../api/contract/lab-results.js';
import type { BlockCode } from '../../routing/trace-types.js';
import type { DependencyOptions } from './dependencies.js';
import type { TlsListenerOptions } from '../http/tls-listener.js';
import type { GatewayConfig } from '../../model/kinds/gateway-fields.js';

/** A loopback address a service listens on or connects to. */
export interface Endpoint {
  host: string;
  port: number;
}

/** One upstream a forwarding service may send traffic to. */
export interface UpstreamTarget {
  /** The node (or auto-scaling instance) id: used for the gate, metrics and `x-served-by` checks. */
  nodeId: string;
  endpoint: Endpoint;
  /** Weighted algorithms only; default 1. A weight of 0 takes the target out of rotation. */
  weight?: number;
  /**
   * The design node this target stands for when it is an instance of a group (an
   * auto-scaling group id). Proxy rules naming the group match all its instances.
   */
  group?: string;
}

/** A refused flow: what refuses it (the `blockedBy.code` of a trace), who, and why. */
export interface GateBlock {
  /** The node to fix: a route table, gateway, subnet, the node whose security groups refuse, an ACL. */
  blockedBy: string;
  reason: string;
  /** A routing code, `security-group` or `network-acl`; `untraceable` when the design cannot place the flow. */
  code: BlockCode | 'untraceable';
}

/** The design's verdict for one connection. */
export type GateVerdict = { allowed: true } | ({ allowed: false } & GateBlock);

/** What a connection is, for the filters: the destination port (default: the target's designed port) and protocol (default tcp). */
export interface GateFlow {
  port?: number;
  protocol?: 'tcp' | 'udp';
}

/**
 * The design's routing and filters, implemented by the lab: may `fromNodeId` open this
 * connection to `toNodeId` (on `flow.port` when given: a server's call on its edge's port)?
 * Called once per upstream connection attempt and health probe, so it should be cheap (the
 * lab caches traces and clears the cache when a route is dropped or a filter changes).
 */
export type ConnectGate = (fromNodeId: string, toNodeId: string, flow?: GateFlow) => GateVerdict;

/** A gate that allows everything (tests and services used outside a lab). */
export const allowAll: ConnectGate = () => ({ allowed: true });

/**
 * JSON body of a 502 caused by a refusing gate: `error` says whether routing or a filter
 * (security group, network ACL) refused, `code` is the trace's `blockedBy.code`.
 */
export interface BlockedBody {
  error: 'blocked-by-routing' | 'blocked-by-filter';
  code: GateBlock['code'];
  from: string;
  to: string;
  blockedBy: string;
  reason: string;
}

/**
 * A lab node a destination names: its loopback endpoint, or (for a port the design does
 * not give it) the port it does listen on, so the proxy can answer "connection refused"
 * without connecting anywhere.
 */
export type LabDestination = { nodeId: string; endpoint: Endpoint } | { nodeId: string; listensOn: number };

/**
 * Maps a designed address or name (`10.0.1.10`, `api.internal`, a node id) and port to the
 * lab node listening for it. Used by the forward proxy; `undefined` means "not in the lab".
 * It never resolves a name: only the design's own names and addresses match.
 */
export type LabResolver = (host: string, port: number) => LabDestination | undefined;

/** A host name -> the addresses the lab's DNS answers for it (empty when it has none, or it is outside the lab's zones). */
export type ResolveName = (host: string) => Promise<string[]>;

// What a service reports is the contract's shape (core/api/contract/lab-results.ts): the lab
// pushes it as `lab.metrics`. The runtime implements it.
export type { CacheMetrics, LatencySummary, NodeMetrics, UpstreamMetrics } from '../../api/contract/lab-results.js';

/** Something a service reports outside the hot path. */
export type ServiceEvent =
  | { type: 'listening'; nodeId: string; endpoint: Endpoint }
  | { type: 'stopped'; nodeId: string }
  | {
      type: 'health';
      nodeId: string;
      target: string;
      healthy: boolean;
      /**
       * `active` (health check), `passive` (consecutive failures on real traffic) or
       * `routing` (the design blocks the flow to the target, or routes to it again).
       */
      source: 'active' | 'passive' | 'routing';
      reason: string;
    }
  /** A user command exited without being asked to: the service stays "not listening". */
  | { type: 'crash'; nodeId: string; exitCode: number | null; signal: string | null; output: string }
  | { type: 'log'; nodeId: string; level: 'info' | 'warn' | 'error'; message: string }
  /** One request through an API gateway, when it ended (status 499: the client left). */
  | { type: 'request'; nodeId: string; route: string; identity: string | undefined; method: string; path: string; status: number; latencyMs: number; requestId: string };

export type ServiceEventListener = (event: ServiceEvent) => void;

/** Which service implementation a node runs (the contract's service roles). */
export type ServiceKind = ServiceRole;

/**
 * What the lab does to a running service besides start and stop: faults (latency, error
 * rate, purge), live edits (weight, health check, algorithm) and new target lists. Each
 * service implements the operations that apply to it (its own interface below makes them
 * required), so the lab asks the service for an operation instead of casting it by role.
 */
export interface ServiceOperations {
  /** Forwarders: replaces the target list (scaling, restarts on a new port). */
  setTargets?(targets: readonly UpstreamTarget[]): void;
  /** Built-in backends: a latency fault. */
  setLatency?(latency: Latency | undefined): void;
  /** Built-in backends: an error-rate fault, 0..1. */
  setErrorRate?(rate: number): void;
  /** Caches: drops every entry, or those of one path; returns how many. */
  purge?(path?: string): number;
  /** Balancers: a target's weight. */
  setWeight?(nodeId: string, weight: number): void;
  /** Forwarders with active checks: `undefined` turns them off. */
  setHealthCheck?(check: HealthCheck | undefined): void;
  /** Balancers: the balancing algorithm. */
  setAlgorithm?(algorithm: BalancingAlgorithm): void;
}

/** What every service offers. */
export interface LabService extends ServiceOperations {
  readonly nodeId: string;
  readonly kind: ServiceKind;
  /** Binds and resolves the bound endpoint; rejects with an Error naming the node. */
  start(): Promise<Endpoint>;
  /** Closes everything the service opened; idempotent; never rejects. */
  stop(): Promise<void>;
  /** The bound endpoint while listening. */
  endpoint(): Endpoint | undefined;
  /** The HTTPS listener's endpoint while listening (a node with TLS only). */
  tlsEndpoint?(): Endpoint | undefined;
  metrics(): NodeMetrics;
}

/** A service that forwards to upstream targets. */
export interface ForwardingService extends LabService {
  /** Replaces the target list (scaling, restarts on a new port); keeps state of targets that stay. */
  setTargets(targets: readonly UpstreamTarget[]): void;
}

/** Options shared by every service. */
export interface ServiceOptions {
  nodeId: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  onEvent?: ServiceEventListener;
  /** An HTTPS listener beside the plain one (balancers, reverse proxies and caches with `tls`). */
  tls?: TlsListenerOptions;
}

/** Request limits of every HTTP front end (core/runtime/http). */
export interface HttpLimits {
  /** Largest request body, bytes (413 above). Default 10 MiB. */
  maxBodyBytes?: number;
  /** Largest request line (method, target, version), bytes (414 above). Default 8 KiB. */
  maxRequestLineBytes?: number;
  /** Largest single header field line (`name: value`), bytes (431 above). Default 8 KiB. */
  maxHeaderFieldBytes?: number;
  /** Largest header block, bytes (431 above). Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Time from a request's first byte until its header block is complete, ms (408 after). Default 30 s. */
  headerTimeoutMs?: number;
  /** Longest silence while a request body is arriving, ms (408 after). Default 5 s. */
  bodyIdleTimeoutMs?: number;
  /** Time from a request's first byte until its body is complete, ms (408 after). Default 60 s; never below `headerTimeoutMs`. */
  requestTimeoutMs?: number;
}

/** Options of services that connect upstream. */
export interface UpstreamOptions {
  targets?: readonly UpstreamTarget[];
  /** The design's routing; default `allowAll`. */
  gate?: ConnectGate;
  /** Upstream response-header timeout (504 after it), ms. Default 30 s. */
  timeoutMs?: number;
  /** Upstream connect timeout (counts as a connect failure), ms. Default 5 s. */
  connectTimeoutMs?: number;
}

/** The built-in backend app. */
export interface BackendOptions extends ServiceOptions, HttpLimits {
  /** The designed `ip:port` the app reports as its own address. */
  designedAddress?: string;
  latency?: Latency;
  /** Share of requests answered 500, 0..1. */
  errorRate?: number;
  /** Its dependencies (its edges), called for each request it serves (./dependencies.ts). */
  calls?: DependencyOptions;
}

/** A backend whose latency and error rate faults can change while it runs. */
export interface BackendService extends LabService {
  setLatency(latency: Latency | undefined): void;
  setErrorRate(rate: number): void;
}

/** A user command as a backend: run with PORT and HOST in its environment. */
export interface CommandBackendOptions extends ServiceOptions {
  command: string;
  cwd?: string;
  env?: Record<string, string>;
  /** How long to wait for the command to listen on PORT. Default 15 s. */
  startTimeoutMs?: number;
}

/** Balancing algorithms (the model's names). */
export type BalancingAlgorithm = 'round-robin' | 'weighted-round-robin' | 'least-connections' | 'source-hash' | 'random-two';

/** Passive ejection: take a target out after consecutive failures on real traffic. */
export interface PassiveEjection {
  /** Consecutive failures that eject a target. Default 3. */
  consecutiveFailures?: number;
  /** How long an ejected target stays out before it is tried again, ms. Default 5 s. */
  ejectMs?: number;
  /** Never eject more than this share of the pool, 0..1. Default 0.5. */
  maxEjectedShare?: number;
}

/** Balancer options shared by L4 and L7. */
export interface BalancerOptions extends ServiceOptions, UpstreamOptions {
  algorithm?: BalancingAlgorithm;
  /** Active health checks (the model's shape; defaults: tcp for L4, http `/health` for L7, every 1 s, timeout 1 s, rise 2, fall 2, 200-399). Absent: none. */
  healthCheck?: HealthCheck;
  passive?: PassiveEjection;
}

/** Options of the HTTP (layer-7) balancer. */
export interface L7BalancerOptions extends BalancerOptions, HttpLimits {
  sticky?: { cookie?: string; ttlSeconds?: number };
  /** Requests forwarded at once; further ones wait in a FIFO (up to 16 times as many, then 503). Default 1024. */
  maxInFlight?: number;
}

/** A running balancer whose algorithm, health check and weights can change live. */
export interface BalancerService extends ForwardingService {
  setAlgorithm(algorithm: BalancingAlgorithm): void;
  /** `undefined` turns active checks off (every target counts as healthy again). */
  setHealthCheck(check: HealthCheck | undefined): void;
  setWeight(nodeId: string, weight: number): void;
}

/** A reverse-proxy rule with the model's fields; `upstreams` are node ids (or group ids) of the targets. */
export interface ProxyRoute {
  host?: string;
  pathPrefix?: string;
  upstreams: readonly string[];
  rewritePrefix?: string;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
}

/** Options of the reverse proxy (a rule-based gateway). */
export interface ReverseProxyOptions extends ServiceOptions, UpstreamOptions, HttpLimits {
  /** First match wins; without rules every request goes round-robin to all targets; with rules, no match is a 404. */
  rules?: readonly ProxyRoute[];
  /** API-gateway routes, auth, rate limits and CORS (replaces `rules`); secret files are read at construction. */
  gateway?: GatewayConfig;
  /** Where the gateway's secret files are (the design's folder). */
  designFolder?: string;
}

/** A running reverse proxy whose rules can change live. */
export interface ReverseProxyService extends ForwardingService {
  setRules(rules: readonly ProxyRoute[]): void;
}

/** Options of the caching proxy. */
export interface CacheOptions extends ServiceOptions, UpstreamOptions, HttpLimits {
  /** LRU bound on stored bodies + headers, bytes. Default 64 MiB. */
  maxBytes?: number;
  /** Freshness (s) for cacheable responses without explicit freshness. Default 0 (revalidate). */
  defaultTtlSeconds?: number;
}

/** A running cache that can be purged. */
export interface CacheService extends ForwardingService {
  /** Drops every entry, or those whose path equals `path`; returns how many were dropped. */
  purge(path?: string): number;
}

/** Options of the forward proxy: its allow/deny policy and how it finds lab destinations. */
export interface ForwardProxyOptions extends ServiceOptions, HttpLimits {
  /** Host names, `*.domain` wildcards or CIDRs that may be reached. */
  allow?: readonly string[];
  /** Checked before `allow`. */
  deny?: readonly string[];
  /** Designed address -> lab endpoint. Without an allow list only lab destinations are reachable. */
  labAddress: LabResolver;
  /**
   * Resolves a host name through the lab's DNS (the proxy never asks the system resolver):
   * the answer's addresses in order. Without it, names that are not node ids do not resolve.
   */
  resolveName?: ResolveName;
  gate?: ConnectGate;
  connectTimeoutMs?: number;
  timeoutMs?: number;
}

/** A running forward proxy whose policy can change live. */
export interface ForwardProxyService extends LabService {
  setPolicy(policy: { allow?: readonly string[]; deny?: readonly string[] }): void;
}
