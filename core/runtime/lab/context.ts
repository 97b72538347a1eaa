/**
 * What the parts of one running lab share: its design and options, its state, the running
 * services in start order, the scaling groups, the routing gate and the dropped routes,
 * and how it reports changes (status and log events). Lifecycle, targets, traffic, faults,
 * scaling and metrics each live in their own module and work on this.
 */
import type { Topology } from '../../model/types.js';
import type { Endpoint, LabResolver, LabService, NodeMetrics, ServiceOperations } from '../services/types.js';
import { formatAddress } from './address.js';
import type { LabEvent, LabEventListener, LabLogEvent, LabNodeStatus, LabState, NodeState } from './events.js';
import type { RoutingGate } from './gate.js';
import type { ScalingGroup } from './groups.js';
import type { LabDns } from './lab-dns.js';
import type { LabTls } from './lab-tls.js';
import { LabError, type LabOptions, type ServiceSpec } from './lab-types.js';
import type { DroppedRoute } from './routes.js';

/** One running service of the lab. */
export interface Running {
  spec: ServiceSpec;
  service: LabService;
  /** The last bound endpoint: kept while stopped, since a restart rebinds the same port. */
  endpoint?: Endpoint;
  /** The last bound HTTPS listener (a node with TLS), kept while stopped like `endpoint`: what upstream TLS connects to. */
  tlsEndpoint?: Endpoint;
  state: NodeState;
  reason?: string;
  /** Request count at the previous metrics tick (rps of auto-scaling instances). */
  lastRequests: number;
}

/** The shared state of one lab, and its event reporting. */
export class LabContext {
  state: LabState = 'idle';
  gate?: RoutingGate;
  dropped: DroppedRoute[] = [];
  /** The design as it runs now: the launched one with the live filter edits (routes are dropped on top, see `dropped`). */
  design: Topology;
  readonly running = new Map<string, Running>();
  /** Start order (ids); stop goes in reverse. */
  readonly order: string[] = [];
  readonly groups = new Map<string, ScalingGroup>();
  readonly listeners = new Set<LabEventListener>();
  timer?: NodeJS.Timeout;
  lastTick = 0;
  readonly lifetime = new AbortController();
  readonly pending = new Set<Promise<unknown>>();
  /** The lab's DNS server and its clients' resolvers, while it runs and the design has zones. */
  dns?: LabDns;
  /** The project's CA and certificates, when a node has TLS. */
  tls?: LabTls;
  /** Designed address, node id or name -> running service, for the forward proxy (set by the lab). */
  resolver: LabResolver = () => undefined;

  constructor(
    readonly topology: Topology,
    readonly options: LabOptions,
  ) {
    this.design = topology;
  }

  /** Latest metrics of every running service. */
  metrics(): NodeMetrics[] {
    return [...this.running.values()].map((r) => r.service.metrics());
  }

  setNodeState(running: Running, state: NodeState, reason?: string): void {
    running.state = state;
    running.reason = reason;
    this.emitNode(running);
  }

  nodeStatus(running: Running): LabNodeStatus {
    const endpoint = running.endpoint;
    return {
      id: running.spec.id,
      role: running.spec.role,
      ...(running.spec.group ? { group: running.spec.group } : {}),
      state: running.state,
      ...(running.reason !== undefined ? { reason: running.reason } : {}),
      address: formatAddress(running.spec.address),
      ...(endpoint ? { url: urlOf(endpoint) } : {}),
      ...httpsUrlOf(running),
      published: running.spec.published,
    };
  }

  emitNode(running: Running): void {
    this.emit({ type: 'status', event: { at: Date.now(), lab: this.state, node: this.nodeStatus(running) } });
  }

  setState(state: LabState): void {
    this.state = state;
    this.emit({ type: 'status', event: { at: Date.now(), lab: state } });
  }

  log(level: LabLogEvent['level'], topic: LabLogEvent['topic'], message: string, nodeId?: string, data?: LabLogEvent['data']): void {
    this.emit({ type: 'log', event: { at: Date.now(), level, topic, message, ...(nodeId !== undefined ? { nodeId } : {}), ...(data ? { data } : {}) } });
  }

  emit(event: LabEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not stop the lab or the other subscribers.
      }
    }
  }

  requireRunning(): void {
    if (this.state !== 'running') throw new LabError('not-running', `the lab is ${this.state}, not running`);
  }

  requireGate(): RoutingGate {
    if (!this.gate) throw new LabError('not-running', 'the lab has not been started');
    return this.gate;
  }
}

/** The loopback URL of an endpoint. */
export function urlOf(endpoint: Endpoint): string {
  return `http://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

/** `{ httpsUrl }` of a running service with an HTTPS listener. */
export function httpsUrlOf(running: Running): { httpsUrl?: string } {
  const endpoint = running.service.tlsEndpoint?.();
  return endpoint ? { httpsUrl: urlOf(endpoint).replace(/^http:/, 'https:') } : {};
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One of a running service's own operations (a fault, a live edit, new targets), bound to
 * it. The lab checks the design's rule first (latency applies to built-in servers, ...);
 * a service that the rule allows but that lacks the operation is a bug, refused as such.
 */
export function operationOf<K extends keyof ServiceOperations>(running: Running, name: K): NonNullable<ServiceOperations[K]> {
  const operation = running.service[name];
  if (typeof operation !== 'function') throw new LabError('failed', `"${running.spec.id}" (a ${running.spec.role}) has no ${name} operation`);
  return operation.bind(running.service) as NonNullable<ServiceOperations[K]>;
}
