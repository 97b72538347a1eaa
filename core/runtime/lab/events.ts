import type { NodeMetrics } from '../services/types.js';
import type { DroppedRoute } from './routes.js';
import type { ServiceRole } from './plan-types.js';

/** Lifecycle of the whole lab. */
export type LabState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * State of one running node: `starting` until it listens (and, for a new auto-scaling
 * instance, passes its health checks), `healthy`/`unhealthy` as health checks see it,
 * `stopped` by a fault or by `stop()`, `crashed` when a user command exited by itself.
 */
export type NodeState = 'starting' | 'healthy' | 'unhealthy' | 'stopped' | 'crashed';

/** One running node (a design node, or an instance of an auto-scaling group). */
export interface LabNodeStatus {
  /** The node id, or `group#n` for an auto-scaling instance. */
  id: string;
  role: ServiceRole;
  /** The auto-scaling group an instance belongs to. */
  group?: string;
  state: NodeState;
  /** Why it is unhealthy, stopped or crashed. */
  reason?: string;
  /** The designed `ip:port`. */
  address: string;
  /** The loopback URL while it has a port. */
  url?: string;
  /** True for entry points: reachable from the internet or from a client in the design. */
  published: boolean;
}

/** Capacity of one auto-scaling group. */
export interface LabGroupStatus {
  id: string;
  min: number;
  max: number;
  desired: number;
  /** Instance ids serving traffic (joined their balancers). */
  instances: string[];
  /** Instance ids started but not yet through their health checks. */
  launching: string[];
}

/** The whole lab at one moment (`lab.status`). */
export interface LabStatus {
  state: LabState;
  nodes: LabNodeStatus[];
  groups: LabGroupStatus[];
  droppedRoutes: DroppedRoute[];
}

/** One row of the endpoint table: designed address -> loopback URL. */
export interface LabEndpoint {
  id: string;
  address: string;
  url: string;
  /** The kernel lab only: the address the internet reaches the node at, when it has one. */
  publicAddress?: string;
}

/** Pushed on every state change of the lab or of one node. */
export interface LabStatusEvent {
  at: number;
  lab: LabState;
  node?: LabNodeStatus;
}

/** Pushed a few times a second while the lab runs. */
export interface LabMetricsEvent {
  at: number;
  nodes: NodeMetrics[];
  groups: { id: string; instances: number; desired: number; metric?: { name: 'in-flight' | 'rps'; value: number; target: number } }[];
}

/** What a log line is about, so a UI can filter (scale events, faults, health changes). */
export type LabLogTopic = 'lifecycle' | 'fault' | 'health' | 'scale' | 'crash' | 'service';

/** One line of the lab's log. Scale events carry `data: { group, from, to, direction }`. */
export interface LabLogEvent {
  at: number;
  level: 'info' | 'warn' | 'error';
  topic: LabLogTopic;
  nodeId?: string;
  message: string;
  data?: Record<string, string | number | boolean>;
}

/** Everything a lab emits, tagged. */
export type LabEvent =
  | { type: 'status'; event: LabStatusEvent }
  | { type: 'metrics'; event: LabMetricsEvent }
  | { type: 'log'; event: LabLogEvent };

export type LabEventListener = (event: LabEvent) => void;
