import { setMaxListeners } from 'node:events';
import type { HealthCheck, Topology } from '../../model/types.js';
import { validateTopology } from '../../validate/index.js';
import { distinctSourcesSupported, loopbackSources } from '../load/sources.js';
import { runLoad } from '../load/generator.js';
import { sendOne, type SingleRequestResult } from '../load/single.js';
import type { LoadProgress, LoadResult, RequestOutcome } from '../load/types.js';
import type {
  BackendService,
  BalancerService,
  BalancingAlgorithm,
  CacheService,
  ConnectGate,
  Endpoint,
  ForwardingService,
  LabResolver,
  LabService,
  NodeMetrics,
  ServiceEvent,
  ServiceEventListener,
  UpstreamTarget,
} from '../services/types.js';
import type {
  LabEndpoint,
  LabEvent,
  LabEventListener,
  LabLogEvent,
  LabMetricsEvent,
  LabNodeStatus,
  LabState,
  LabStatus,
  NodeState,
} from './events.js';
import { formatAddress } from './address.js';
import { RoutingGate, type TraceTarget } from './gate.js';
import { planLab, LabPlanError } from './plan.js';
import type { LabPlan, PlannedService } from './plan-types.js';
import { ScalingGroup, type GroupHost } from './groups.js';
import { balancerCheckAsProbed } from './readiness.js';
import { routesAfterRestore, routesToDrop, withoutRoutes, type DroppedRoute } from './routes.js';

export { formatAddress } from './address.js';

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
  onEvent: ServiceEventListener;
  targets: UpstreamTarget[];
  /** Working folder of user commands. */
  cwd?: string;
  /** The address to bind (default 127.0.0.1); the kernel lab binds the designed address inside the node's namespace. */
  host?: string;
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
  ) {
    super(message);
    this.name = 'LabError';
  }
}

interface Running {
  spec: ServiceSpec;
  service: LabService;
  /** The last bound endpoint: kept while stopped, since a restart rebinds the same port. */
  endpoint?: Endpoint;
  state: NodeState;
  reason?: string;
  /** Request count at the previous metrics tick (rps of auto-scaling instances). */
  lastRequests: number;
}

/**
 * The live lab: one design running as real services on loopback. Start is all-or-nothing,
 * stop leaves nothing behind, faults and auto-scaling act while it runs, and everything
 * that happens is emitted as status, metrics and log events.
 */
export class Lab {
  private state: LabState = 'idle';
  private gate?: RoutingGate;
  private dropped: DroppedRoute[] = [];
  private readonly running = new Map<string, Running>();
  /** Start order (ids); stop goes in reverse. */
  private readonly order: string[] = [];
  private readonly groups = new Map<string, ScalingGroup>();
  private readonly listeners = new Set<LabEventListener>();
  private timer?: NodeJS.Timeout;
  private lastTick = 0;
  private readonly lifetime = new AbortController();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    readonly topology: Topology,
    private readonly options: LabOptions,
  ) {
    // Every load run, inspector request and health wait listens for the lab's end.
    setMaxListeners(1000, this.lifetime.signal);
  }

  /** Subscribes to every event; returns the function that unsubscribes. */
  on(listener: LabEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts every service, upstreams first. If one cannot start, everything already
   * started is stopped and the error names the node. Throws `LabPlanError` for a design
   * that cannot run.
   */
  async start(): Promise<LabStatus> {
    if (this.state !== 'idle') throw new LabError('conflict', `the lab is ${this.state}; a lab starts once`);
    // A stop() during the start waits for it, so nothing starts after stop() resolved.
    const run = this.startAll();
    this.pending.add(run);
    try {
      return await run;
    } finally {
      this.pending.delete(run);
    }
  }

  private async startAll(): Promise<LabStatus> {
    const result = planLab(this.topology, validateTopology(this.topology));
    if (!result.ok) throw new LabPlanError(result.problems);
    const plan = result.plan;
    this.checkPins(plan);
    this.gate = new RoutingGate(this.topology, (id) => this.locate(id));
    this.setState('starting');
    try {
      for (const planned of plan.groups) {
        const group = new ScalingGroup(planned, this.groupHost);
        this.groups.set(planned.nodeId, group);
        // The first instances are part of the start: the balancers' own checks watch them.
        for (let i = 0; i < planned.desired; i++) {
          const spec = group.nextInstance();
          await this.startService(spec);
          group.ready.push(spec.id);
        }
      }
      for (const planned of plan.services) {
        const port = this.options.ports?.[planned.nodeId];
        await this.startService({ ...planned, id: planned.nodeId, ...(port !== undefined ? { port } : {}) });
      }
    } catch (error) {
      await this.stopServices();
      this.setState('stopped');
      throw error;
    }
    this.setState('running');
    this.log('info', 'lifecycle', `lab started: ${this.running.size} service${this.running.size === 1 ? '' : 's'}`);
    this.lastTick = Date.now();
    this.timer = setInterval(() => this.tick(), this.options.metricsIntervalMs ?? 250);
    return this.status();
  }

  /** Stops every service, timer, health wait and load run; idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'idle' || this.state === 'stopped' || this.state === 'stopping') return;
    this.setState('stopping');
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.lifetime.abort();
    await Promise.allSettled([...this.pending]);
    await this.stopServices();
    this.setState('stopped');
    this.log('info', 'lifecycle', 'lab stopped');
  }

  /** The lab and every node now. */
  status(): LabStatus {
    return {
      state: this.state,
      nodes: [...this.running.values()].map((r) => this.nodeStatus(r)),
      groups: [...this.groups.values()].map((g) => g.status()),
      droppedRoutes: [...this.dropped],
    };
  }

  /** Designed address -> loopback URL of every running service, in start order. */
  endpoints(): LabEndpoint[] {
    return this.order.flatMap((id) => {
      const running = this.running.get(id);
      if (!running?.endpoint) return [];
      return [{ id, address: formatAddress(running.spec.address), url: urlOf(running.endpoint) }];
    });
  }

  /** Latest metrics of every running service. */
  metrics(): NodeMetrics[] {
    return [...this.running.values()].map((r) => r.service.metrics());
  }

  /** The routing verdict the services get for one flow (for tests and the inspector). */
  verdict(fromNodeId: string, toNodeId: string): ReturnType<ConnectGate> {
    return this.requireGate().gate(fromNodeId, toNodeId);
  }

  /** Applies one fault; resolves with a sentence saying what changed. */
  async inject(fault: LabFault): Promise<string> {
    this.requireRunning();
    const message = await this.applyFault(fault);
    this.log('info', 'fault', message, fault.nodeId);
    return message;
  }

  /**
   * Applies property edits the services can take live: a server's weight (sent to every
   * balancer in front of it), a balancer's health check or algorithm. The plan keeps the
   * new values, so instances and restarts use them too. Resolves with what changed.
   */
  configure(change: LabReconfiguration): string {
    this.requireRunning();
    const running = this.running.get(change.nodeId);
    if (!running) throw new LabError('not-found', `"${change.nodeId}" is not a running node of this lab`);
    const done: string[] = [];
    if (change.weight !== undefined) {
      if (running.spec.role !== 'backend' && running.spec.role !== 'command') throw new LabError('bad-input', `weight applies to servers; "${change.nodeId}" is a ${running.spec.role}`);
      if (!Number.isInteger(change.weight) || change.weight < 0 || change.weight > 256) throw new LabError('bad-input', `weight must be an integer from 0 to 256, got ${change.weight}`);
      running.spec.backend = { ...running.spec.backend, weight: change.weight };
      for (const forwarder of this.running.values()) {
        if (forwarder.spec.upstreams.includes(change.nodeId) && (forwarder.spec.role === 'l7-balancer' || forwarder.spec.role === 'l4-balancer')) {
          (forwarder.service as BalancerService).setWeight(change.nodeId, change.weight);
        }
      }
      done.push(`weight of ${change.nodeId} set to ${change.weight}`);
    }
    if (change.healthCheck !== undefined || change.algorithm !== undefined) {
      if (running.spec.role !== 'l7-balancer' && running.spec.role !== 'l4-balancer') {
        throw new LabError('bad-input', `health checks and algorithms apply to balancers; "${change.nodeId}" is a ${running.spec.role}`);
      }
      const balancer = running.service as BalancerService;
      if (change.healthCheck !== undefined) {
        balancer.setHealthCheck(change.healthCheck ?? undefined);
        if (change.healthCheck) running.spec.healthCheck = change.healthCheck;
        else delete running.spec.healthCheck;
        done.push(change.healthCheck ? `health check of ${change.nodeId} updated` : `health checks of ${change.nodeId} turned off`);
      }
      if (change.algorithm !== undefined) {
        balancer.setAlgorithm(change.algorithm);
        running.spec.algorithm = change.algorithm;
        done.push(`algorithm of ${change.nodeId} set to ${change.algorithm}`);
      }
    }
    if (done.length === 0) throw new LabError('bad-input', 'nothing to change: give weight, healthCheck or algorithm');
    const message = done.join('; ');
    this.log('info', 'fault', message, change.nodeId);
    return message;
  }

  /** Sends load to a node, from a node of the design when `from` is given. */
  async load(options: LabLoadOptions): Promise<LoadResult> {
    this.requireRunning();
    const target = this.targetOf(options);
    if (options.sources !== undefined && options.sources > 1 && !distinctSourcesSupported()) {
      throw new LabError('bad-input', 'distinct source addresses need Linux (127.0.0.0/8 on the loopback interface)');
    }
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    this.lifetime.signal.addEventListener('abort', abort, { once: true });
    options.signal?.addEventListener('abort', abort, { once: true });
    if (options.signal?.aborted) controller.abort();
    const run = runLoad({
      url: target.url,
      ...(target.viaProxyTo ? { viaProxyTo: target.viaProxyTo } : {}),
      ...pickDefined({ path: options.path, method: options.method, headers: options.headers, requests: options.requests, durationSeconds: options.durationSeconds, concurrency: options.concurrency, onProgress: options.onProgress, rps: options.rps, onRequest: options.onRequest }),
      ...(options.sources !== undefined && options.sources > 1 ? { sourceAddresses: loopbackSources(options.sources) } : {}),
      signal: controller.signal,
    });
    this.pending.add(run);
    try {
      return await run;
    } finally {
      this.pending.delete(run);
      this.lifetime.signal.removeEventListener('abort', abort);
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /** Sends one request and returns what came back, with timings and the served-by chain. */
  async request(options: LabRequestOptions): Promise<SingleRequestResult> {
    this.requireRunning();
    if (options.target !== undefined && options.via === undefined) throw new LabError('bad-input', 'target needs via: it is what a forward proxy is asked for');
    const target = this.targetOf(options);
    let viaProxyTo = target.viaProxyTo;
    let path = options.path;
    if (options.target !== undefined) {
      let url: URL;
      try {
        url = new URL(options.target);
      } catch {
        throw new LabError('bad-input', `target "${options.target}" is not an absolute URL`);
      }
      viaProxyTo = url.origin;
      path = `${url.pathname}${url.search}`;
    }
    return sendOne({
      url: target.url,
      ...(viaProxyTo ? { viaProxyTo } : {}),
      ...pickDefined({ path, method: options.method, headers: options.headers, body: options.body }),
      signal: this.lifetime.signal,
    });
  }

  // ---- start and stop ------------------------------------------------------------------

  private checkPins(plan: LabPlan): void {
    const pins = this.options.ports ?? {};
    const seen = new Map<number, string>();
    for (const [id, port] of Object.entries(pins)) {
      if (!plan.services.some((s) => s.nodeId === id)) throw new LabError('bad-input', `port pinned for "${id}", which is not a service of this lab`);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LabError('bad-input', `pinned port of "${id}" must be 1..65535, got ${port}`);
      const other = seen.get(port);
      if (other) throw new LabError('bad-input', `port ${port} is pinned for both "${other}" and "${id}"`);
      seen.set(port, id);
    }
  }

  /** Creates and starts one service; `healthy` false leaves it `starting` (a new instance before its checks). */
  private async startService(spec: ServiceSpec, healthy = true): Promise<Running> {
    let service: LabService;
    try {
      service = this.options.createService(spec, {
        gate: this.requireGate().gate,
        resolver: this.resolver,
        onEvent: (event) => this.onServiceEvent(event),
        targets: this.targetsOf(spec),
        ...(this.options.cwd !== undefined ? { cwd: this.options.cwd } : {}),
      });
    } catch (error) {
      throw new LabError('failed', `node "${spec.id}" could not start: ${messageOf(error)}`);
    }
    const running: Running = { spec, service, state: 'starting', lastRequests: 0 };
    this.running.set(spec.id, running);
    this.order.push(spec.id);
    this.emitNode(running);
    try {
      running.endpoint = await service.start();
    } catch (error) {
      this.setNodeState(running, 'stopped', messageOf(error));
      const pinned = spec.port !== undefined ? ` (pinned port ${spec.port})` : '';
      throw new LabError('failed', `node "${spec.id}" could not start${pinned}: ${messageOf(error)}`);
    }
    if (healthy) this.setNodeState(running, 'healthy');
    else this.setNodeState(running, 'starting', 'waiting for health checks');
    if (this.state === 'stopping' || this.state === 'stopped') {
      throw new LabError('conflict', `the lab was stopped while "${spec.id}" was starting`);
    }
    return running;
  }

  /** Forwarders first, then what they forward to, so no request meets a closed upstream. */
  private async stopServices(): Promise<void> {
    for (const id of [...this.order].reverse()) {
      const running = this.running.get(id);
      if (!running) continue;
      await running.service.stop();
      if (running.state !== 'stopped') {
        running.state = 'stopped';
        running.reason = 'lab stopped';
        this.emitNode(running);
      }
    }
  }

  // ---- routing -----------------------------------------------------------------------

  /** What the tracer should trace to for a lab id: instances go by their designed address. */
  private locate(id: string): TraceTarget {
    const running = this.running.get(id);
    if (running?.spec.group) return { to: running.spec.address.ip, port: running.spec.address.port };
    return { to: id };
  }

  /** Designed address, node id or name -> running service, for the forward proxy. */
  private readonly resolver: LabResolver = (host, port) => {
    const name = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
    for (const running of this.running.values()) {
      if (!running.endpoint || running.spec.role === 'forward-proxy') continue;
      const { ip, port: designedPort } = running.spec.address;
      const byAddress = ip === name && port === designedPort;
      const byName = running.spec.id.toLowerCase() === name && (port === designedPort || port === 80);
      if (byAddress || byName) return { nodeId: running.spec.id, endpoint: running.endpoint };
    }
    return undefined;
  };

  private targetOf(options: { from?: string; to: string; via?: string }): { url: string; viaProxyTo?: string } {
    const to = this.running.get(options.to);
    if (!to) {
      if (this.groups.has(options.to)) throw new LabError('bad-input', `"${options.to}" is an auto-scaling group: send to the balancer in front of it`);
      throw new LabError('not-found', `"${options.to}" is not a running node of this lab`);
    }
    const entry = options.via ?? options.to;
    if (options.from !== undefined) {
      if (!this.topology.nodes.some((n) => n.id === options.from)) throw new LabError('not-found', `"${options.from}" is not a node of this design`);
      const verdict = this.requireGate().gate(options.from, entry);
      if (!verdict.allowed) throw new LabError('blocked', `${options.from} cannot reach ${entry} in the design: blocked by ${verdict.blockedBy}: ${verdict.reason}`);
    }
    if (options.via !== undefined) {
      const proxy = this.running.get(options.via);
      if (!proxy || proxy.spec.role !== 'forward-proxy') throw new LabError('bad-input', `"${options.via}" is not a running forward proxy`);
      if (!proxy.endpoint) throw new LabError('not-running', `forward proxy "${options.via}" has no port`);
      return { url: urlOf(proxy.endpoint), viaProxyTo: `http://${formatAddress(to.spec.address)}` };
    }
    if (!to.endpoint) throw new LabError('not-running', `"${options.to}" has no port`);
    return { url: urlOf(to.endpoint) };
  }

  /** The upstream targets of a forwarding service: nodes, and the ready instances of groups. */
  private targetsOf(spec: ServiceSpec): UpstreamTarget[] {
    const out: UpstreamTarget[] = [];
    for (const id of spec.upstreams) {
      const group = this.groups.get(id);
      const ids = group ? group.ready : [id];
      for (const targetId of ids) {
        const running = this.running.get(targetId);
        if (!running?.endpoint) continue;
        const weight = running.spec.backend?.weight;
        out.push({ nodeId: targetId, endpoint: running.endpoint, ...(weight !== undefined ? { weight } : {}), ...(group ? { group: id } : {}) });
      }
    }
    return out;
  }

  /** Re-sends target lists to every forwarder that uses `upstreamId` (after scaling). */
  private refreshTargets(upstreamId: string): void {
    for (const running of this.running.values()) {
      if (!running.spec.upstreams.includes(upstreamId)) continue;
      (running.service as ForwardingService).setTargets(this.targetsOf(running.spec));
    }
  }

  // ---- faults ------------------------------------------------------------------------

  private async applyFault(fault: LabFault): Promise<string> {
    const { nodeId, action } = fault;
    if (action === 'drop-route' || action === 'restore-route') return this.routeFault(fault);
    const targets = this.faultTargets(nodeId);
    switch (action) {
      case 'stop':
        for (const running of targets) {
          await running.service.stop();
          this.setNodeState(running, 'stopped', 'stopped by a fault');
        }
        return `stopped ${describeTargets(nodeId, targets)}`;
      case 'start':
        for (const running of targets) {
          if (running.service.endpoint()) continue;
          try {
            running.endpoint = await running.service.start();
          } catch (error) {
            throw new LabError('failed', `node "${running.spec.id}" could not start again: ${messageOf(error)}`);
          }
          this.setNodeState(running, 'healthy');
        }
        return `started ${describeTargets(nodeId, targets)}`;
      case 'latency': {
        const value = requireValue(fault, 0, 600_000, 'latency in ms');
        for (const running of targets) this.backendOf(running, action).setLatency(value);
        const group = this.groups.get(nodeId);
        if (group) group.latency = value;
        return `latency of ${describeTargets(nodeId, targets)} set to ${value} ms`;
      }
      case 'error-rate': {
        const value = requireValue(fault, 0, 1, 'error rate (0..1)');
        for (const running of targets) this.backendOf(running, action).setErrorRate(value);
        const group = this.groups.get(nodeId);
        if (group) group.errorRate = value;
        return `error rate of ${describeTargets(nodeId, targets)} set to ${Math.round(value * 1000) / 10}%`;
      }
      case 'purge': {
        let dropped = 0;
        for (const running of targets) {
          if (running.spec.role !== 'cache') throw new LabError('bad-input', `"${running.spec.id}" is a ${running.spec.role}: only caches can be purged`);
          dropped += (running.service as CacheService).purge(fault.path);
        }
        return `purged ${dropped} entr${dropped === 1 ? 'y' : 'ies'} from ${nodeId}${fault.path ? ` for ${fault.path}` : ''}`;
      }
    }
  }

  private routeFault(fault: LabFault): string {
    try {
      if (fault.action === 'drop-route') {
        const drop = routesToDrop(this.topology, fault.nodeId, fault.route, this.dropped);
        this.dropped = [...this.dropped, ...drop];
      } else {
        this.dropped = routesAfterRestore(this.dropped, fault.nodeId, fault.route);
      }
    } catch (error) {
      throw new LabError('bad-input', messageOf(error));
    }
    this.requireGate().setTopology(withoutRoutes(this.topology, this.dropped));
    const which = fault.route ?? 'every route';
    return fault.action === 'drop-route' ? `dropped ${which} from route table ${fault.nodeId}` : `restored ${which} in route table ${fault.nodeId}`;
  }

  /** The running services a fault on `nodeId` acts on: the node, or every instance of a group. */
  private faultTargets(nodeId: string): Running[] {
    const group = this.groups.get(nodeId);
    if (group) return [...group.ready, ...group.launching].flatMap((id) => this.running.get(id) ?? []);
    const running = this.running.get(nodeId);
    if (!running) throw new LabError('not-found', `"${nodeId}" is not a running node of this lab`);
    return [running];
  }

  private backendOf(running: Running, action: string): BackendService {
    if (running.spec.role !== 'backend') {
      throw new LabError('bad-input', `${action} applies to built-in servers; "${running.spec.id}" is a ${running.spec.role}`);
    }
    return running.service as BackendService;
  }

  // ---- auto-scaling ------------------------------------------------------------------

  /** What scaling groups may ask of the lab. */
  private readonly groupHost: GroupHost = {
    signal: this.lifetime.signal,
    isRunning: () => this.state === 'running',
    launch: async (spec) => (await this.startService(spec, false)).endpoint as Endpoint,
    markHealthy: (id) => {
      const running = this.running.get(id);
      if (running) this.setNodeState(running, 'healthy');
    },
    remove: (id) => this.removeInstance(id),
    poolChanged: (groupId) => this.refreshTargets(groupId),
    healthCheckFor: (groupId) => {
      for (const running of this.running.values()) {
        const check = running.spec.healthCheck;
        if (running.spec.upstreams.includes(groupId) && check) return balancerCheckAsProbed(running.spec.role, check);
      }
      return undefined;
    },
    inFlight: (id) => inFlightByTarget(this.metrics()).get(id) ?? 0,
    log: (level, message, nodeId, data) => this.log(level, 'scale', message, nodeId, data),
  };

  private async removeInstance(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    await running.service.stop();
    this.running.delete(id);
    const at = this.order.indexOf(id);
    if (at >= 0) this.order.splice(at, 1);
    running.state = 'stopped';
    running.reason = 'removed by scale-in';
    this.emitNode(running);
  }

  // ---- metrics and events ------------------------------------------------------------

  private tick(): void {
    if (this.state !== 'running') return;
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.lastTick) / 1000);
    this.lastTick = now;
    const nodes = this.metrics();
    const inFlight = inFlightByTarget(nodes);
    const byId = new Map(nodes.map((m) => [m.nodeId, m]));
    const groups: LabMetricsEvent['groups'] = [];
    for (const group of this.groups.values()) {
      let value = 0;
      for (const id of group.ready) {
        const running = this.running.get(id);
        const requests = byId.get(id)?.requests ?? 0;
        if (group.plan.targetTracking?.metric === 'rps') value += Math.max(0, requests - (running?.lastRequests ?? requests)) / seconds;
        else value += inFlight.get(id) ?? 0;
        if (running) running.lastRequests = requests;
      }
      const tracking = group.plan.targetTracking;
      groups.push({
        id: group.id,
        instances: group.ready.length,
        desired: group.desired,
        ...(tracking ? { metric: { name: tracking.metric, value: Math.round(value * 100) / 100, target: tracking.target } } : {}),
      });
      const step = group.observe(value, now);
      if (step) {
        this.pending.add(step);
        void step.finally(() => this.pending.delete(step));
      }
    }
    this.emit({ type: 'metrics', event: { at: now, nodes, groups } });
  }

  private onServiceEvent(event: ServiceEvent): void {
    switch (event.type) {
      case 'health': {
        const target = this.running.get(event.target);
        if (target && (target.state === 'healthy' || target.state === 'unhealthy')) {
          const next: NodeState = event.healthy ? 'healthy' : 'unhealthy';
          if (target.state !== next) this.setNodeState(target, next, event.healthy ? undefined : `${event.nodeId}: ${event.reason}`);
        }
        this.log(event.healthy ? 'info' : 'warn', 'health', `${event.nodeId} sees ${event.target} ${event.healthy ? 'healthy' : 'unhealthy'} (${event.source}): ${event.reason}`, event.target);
        return;
      }
      case 'crash': {
        const running = this.running.get(event.nodeId);
        const how = event.signal ? `signal ${event.signal}` : `exit code ${event.exitCode}`;
        if (running) this.setNodeState(running, 'crashed', `the command exited (${how})`);
        const tail = event.output.trim().split('\n').slice(-5).join('\n');
        this.log('error', 'crash', `${event.nodeId} crashed (${how})${tail ? `:\n${tail}` : ''}`, event.nodeId);
        return;
      }
      case 'log':
        this.log(event.level, 'service', event.message, event.nodeId);
        return;
      default:
        return; // listening/stopped: the lab sets those states itself
    }
  }

  private setNodeState(running: Running, state: NodeState, reason?: string): void {
    running.state = state;
    running.reason = reason;
    this.emitNode(running);
  }

  private nodeStatus(running: Running): LabNodeStatus {
    const endpoint = running.endpoint;
    return {
      id: running.spec.id,
      role: running.spec.role,
      ...(running.spec.group ? { group: running.spec.group } : {}),
      state: running.state,
      ...(running.reason !== undefined ? { reason: running.reason } : {}),
      address: formatAddress(running.spec.address),
      ...(endpoint ? { url: urlOf(endpoint) } : {}),
      published: running.spec.published,
    };
  }

  private emitNode(running: Running): void {
    this.emit({ type: 'status', event: { at: Date.now(), lab: this.state, node: this.nodeStatus(running) } });
  }

  private setState(state: LabState): void {
    this.state = state;
    this.emit({ type: 'status', event: { at: Date.now(), lab: state } });
  }

  protected log(level: LabLogEvent['level'], topic: LabLogEvent['topic'], message: string, nodeId?: string, data?: LabLogEvent['data']): void {
    this.emit({ type: 'log', event: { at: Date.now(), level, topic, message, ...(nodeId !== undefined ? { nodeId } : {}), ...(data ? { data } : {}) } });
  }

  private emit(event: LabEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not stop the lab or the other subscribers.
      }
    }
  }

  private requireRunning(): void {
    if (this.state !== 'running') throw new LabError('not-running', `the lab is ${this.state}, not running`);
  }

  private requireGate(): RoutingGate {
    if (!this.gate) throw new LabError('not-running', 'the lab has not been started');
    return this.gate;
  }
}

function urlOf(endpoint: Endpoint): string {
  return `http://${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

function describeTargets(nodeId: string, targets: Running[]): string {
  return targets.length === 1 && targets[0]?.spec.id === nodeId ? nodeId : `${nodeId} (${targets.map((t) => t.spec.id).join(', ') || 'no instances'})`;
}

function requireValue(fault: LabFault, min: number, max: number, what: string): number {
  const value = fault.value;
  if (value === undefined || !Number.isFinite(value) || value < min || value > max) {
    throw new LabError('bad-input', `${fault.action} on "${fault.nodeId}" needs a value: ${what}, from ${min} to ${max}`);
  }
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function pickDefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Requests every forwarder has in flight to each target, summed over the forwarders. */
function inFlightByTarget(nodes: readonly NodeMetrics[]): Map<string, number> {
  const inFlight = new Map<string, number>();
  for (const m of nodes) for (const [target, u] of Object.entries(m.upstreams ?? {})) inFlight.set(target, (inFlight.get(target) ?? 0) + u.active);
  return inFlight;
}
