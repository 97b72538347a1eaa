import type { HealthCheck, Sticky } from '../../../model/types.js';
import type { GatewayConfig } from '../../../model/kinds/gateway-fields.js';
import type { BackendSettings, ServiceRole } from '../../lab/plan-types.js';

/**
 * Messages between the lab (parent) and a namespace host (a Node child inside one node's
 * network namespace, ./main.ts), over the private socket pair of `child_process` IPC. The
 * parent is the only sender, so the host checks each command's shape (`checkCommand`)
 * rather than loading a schema library: a host must start in tens of milliseconds, and
 * fifty of them start with every lab.
 */

/** An upstream as a host sees it: the target's address as the kernel routes it from this node. */
export interface RemoteTarget {
  nodeId: string;
  host: string;
  port: number;
  weight?: number;
  group?: string;
}

/** One lab node the forward proxy resolves: by designed address or by id, to where it dials it. */
export interface ResolverEntry {
  nodeId: string;
  ip: string;
  port: number;
  dial: string;
}

/** The service a host runs: the planned service, bound to its designed address in the namespace. */
export interface RemoteSpec {
  id: string;
  role: ServiceRole;
  host: string;
  port: number;
  backend?: Pick<BackendSettings, 'latency' | 'errorRate' | 'command' | 'weight' | 'calls' | 'callOrder' | 'callTimeoutMs'>;
  algorithm?: 'round-robin' | 'weighted-round-robin' | 'least-connections' | 'source-hash' | 'random-two';
  healthCheck?: HealthCheck;
  sticky?: Sticky;
  maxBodyBytes?: number;
  timeoutMs?: number;
  maxBytes?: number;
  defaultTtl?: number;
  allow?: string[];
  deny?: string[];
  rules?: { host?: string; pathPrefix?: string; upstreams: string[]; rewritePrefix?: string; requestHeaders?: Record<string, string>; responseHeaders?: Record<string, string> }[];
  /** Reverse proxy: its API-gateway block, as planned. */
  gateway?: GatewayConfig;
  /** The design's folder, where the gateway's secret files are read. */
  designFolder?: string;
  targets: RemoteTarget[];
  resolver: ResolverEntry[];
  /** The nodes a server calls (its `backend.calls`), at the address this node dials each of them. */
  callees?: RemoteCallee[];
  /** The resolver of the node's VPC (base + 2), where a forward proxy resolves names, when the design has zones. */
  dns?: string;
  cwd?: string;
}

/** A node a server calls, at the address this node dials it (private, or public across the internet). */
export interface RemoteCallee {
  nodeId: string;
  dial: string;
}

/** One request as a host sends it (a load run or a single request). */
export interface RemoteRequest {
  url: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  viaProxyTo?: string;
}

/** Live setters of the services a host may be asked to call. */
export const SERVICE_METHODS = ['setLatency', 'setErrorRate', 'purge', 'setTargets', 'setWeight', 'setHealthCheck', 'setAlgorithm'] as const;

/** Parent -> host. Each carries an `id` the host answers with. */
export type HostCommand =
  | { id: number; op: 'service.start'; spec: RemoteSpec }
  | { id: number; op: 'service.stop' }
  | { id: number; op: 'service.call'; method: (typeof SERVICE_METHODS)[number]; args: unknown[] }
  | { id: number; op: 'forward.open'; socket: string; host: string; port: number }
  | { id: number; op: 'forward.close' }
  | { id: number; op: 'listen'; host: string; port: number }
  | { id: number; op: 'probe'; host: string; port: number; timeoutMs: number; /** Connect from this port (default: the kernel picks an ephemeral one). */ localPort?: number }
  | { id: number; op: 'load'; options: RemoteRequest & { requests?: number; durationSeconds?: number; concurrency?: number; rps?: number; records?: boolean; progress?: boolean } }
  | { id: number; op: 'request'; options: RemoteRequest & { body?: string } }
  | { id: number; op: 'cancel'; run: number }
  /** A VPC router's host: answer DNS at the resolver address (UDP and TCP), relaying each message to the lab (`dns` events). */
  | { id: number; op: 'dns.listen'; host: string; port: number }
  /** The lab's answer to a relayed message (base64), or `null` to drop it. */
  | { id: number; op: 'dns.answer'; query: number; message: string | null }
  | { id: number; op: 'shutdown' };

/** How a probe's TCP connect ended. */
export type ProbeOutcome = 'answered' | 'refused' | 'timeout' | 'unreachable' | 'error';

/** Host -> parent. */
export type HostMessage =
  | { re: number; ok: true; value: unknown }
  | { re: number; ok: false; error: string }
  | { event: 'service'; data: unknown }
  | { event: 'metrics'; data: unknown }
  | { event: 'progress'; re: number; data: unknown }
  | { event: 'records'; re: number; data: unknown[] }
  | { event: 'ready' }
  /** A DNS message a client sent to the resolver address (base64), for the lab to answer with `dns.answer`. */
  | { event: 'dns'; data: RelayedDnsQuery };

/** One DNS message a VPC resolver read, as the host relays it. */
export interface RelayedDnsQuery {
  query: number;
  transport: 'udp' | 'tcp';
  /** The client's address. */
  from: string;
  message: string;
}

/** Fields each command must carry, with their types. */
const REQUIRED: Record<HostCommand['op'], Record<string, 'string' | 'number' | 'object' | 'array'>> = {
  'service.start': { spec: 'object' },
  'service.stop': {},
  'service.call': { method: 'string', args: 'array' },
  'forward.open': { socket: 'string', host: 'string', port: 'number' },
  'forward.close': {},
  listen: { host: 'string', port: 'number' },
  probe: { host: 'string', port: 'number', timeoutMs: 'number' },
  load: { options: 'object' },
  request: { options: 'object' },
  cancel: { run: 'number' },
  'dns.listen': { host: 'string', port: 'number' },
  'dns.answer': { query: 'number' },
  shutdown: {},
};

/** The command, or why it is not one (a bug in the parent: the host answers with the reason). */
export function checkCommand(raw: unknown): HostCommand | string {
  if (typeof raw !== 'object' || raw === null) return 'a command is an object';
  const record = raw as Record<string, unknown>;
  if (typeof record.id !== 'number' || !Number.isInteger(record.id)) return 'a command needs an integer id';
  const op = record.op;
  if (typeof op !== 'string' || !Object.hasOwn(REQUIRED, op)) return `unknown op ${JSON.stringify(op)}`;
  for (const [field, type] of Object.entries(REQUIRED[op as HostCommand['op']])) {
    const value = record[field];
    const ok = type === 'array' ? Array.isArray(value) : type === 'object' ? typeof value === 'object' && value !== null : typeof value === type;
    if (!ok) return `${op}: ${field} must be ${type === 'array' ? 'an array' : `a ${type}`}`;
  }
  if (op === 'service.call' && !(SERVICE_METHODS as readonly string[]).includes(record.method as string)) return `service.call: unknown method ${JSON.stringify(record.method)}`;
  return raw as HostCommand;
}
