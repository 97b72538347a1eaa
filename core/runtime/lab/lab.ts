import { setMaxListeners } from 'node:events';
import type { Topology } from '../../model/types.js';
import { validateTopology } from '../../validate/index.js';
import type { SingleRequestResult } from '../load/single.js';
import type { LoadResult } from '../load/types.js';
import type { StubAnswer } from '../dns/stub.js';
import type { ConnectGate, NodeMetrics } from '../services/types.js';
import { formatAddress } from './address.js';
import { httpsUrlOf, LabContext, urlOf } from './context.js';
import { prepareLabTls } from './lab-tls.js';
import type { LabEndpoint, LabEventListener, LabLogEvent, LabStatus } from './events.js';
import { applyFault, reconfigure } from './faults.js';
import { RoutingGate } from './gate.js';
import { startLabDns } from './dns-hooks.js';
import { createGroupHost } from './group-host.js';
import { ScalingGroup, type GroupHost } from './groups.js';
import { LabError, type LabFault, type LabLoadOptions, type LabOptions, type LabReconfiguration, type LabRequestOptions } from './lab-types.js';
import { tick } from './metrics-tick.js';
import { planLab, LabPlanError } from './plan.js';
import { checkPins, startService, stopServices } from './service-lifecycle.js';
import { createResolver } from './targets.js';
import { sendLoad, sendRequest } from './traffic.js';

export { LabError };
export type { CreateService, LabFault, LabLoadOptions, LabOptions, LabReconfiguration, LabRequestOptions, LabTrafficTarget, ServiceSpec, ServiceWiring } from './lab-types.js';

/**
 * The live lab: one design running as real services on loopback. Start is all-or-nothing,
 * stop leaves nothing behind, faults and auto-scaling act while it runs, and everything
 * that happens is emitted as status, metrics and log events. This class is the lifecycle;
 * the resolver and targets, traffic, faults, scaling and metrics have modules of their own
 * that work on the lab's shared state (context.ts).
 */
export class Lab {
  private readonly ctx: LabContext;
  /** What scaling groups may ask of the lab. */
  private readonly groupHost: GroupHost;

  constructor(
    readonly topology: Topology,
    options: LabOptions,
  ) {
    this.ctx = new LabContext(topology, options);
    this.ctx.resolver = createResolver(this.ctx);
    this.groupHost = createGroupHost(this.ctx);
    // Every load run, inspector request and health wait listens for the lab's end.
    setMaxListeners(1000, this.ctx.lifetime.signal);
  }

  /** Subscribes to every event; returns the function that unsubscribes. */
  on(listener: LabEventListener): () => void {
    this.ctx.listeners.add(listener);
    return () => this.ctx.listeners.delete(listener);
  }

  /**
   * Starts every service, upstreams first. If one cannot start, everything already
   * started is stopped and the error names the node. Throws `LabPlanError` for a design
   * that cannot run.
   */
  async start(): Promise<LabStatus> {
    const { ctx } = this;
    if (ctx.state !== 'idle') throw new LabError('conflict', `the lab is ${ctx.state}; a lab starts once`);
    // A stop() during the start waits for it, so nothing starts after stop() resolved.
    const run = this.startAll();
    ctx.pending.add(run);
    try {
      return await run;
    } finally {
      ctx.pending.delete(run);
    }
  }

  private async startAll(): Promise<LabStatus> {
    const { ctx } = this;
    const result = planLab(this.topology, validateTopology(this.topology));
    if (!result.ok) throw new LabPlanError(result.problems);
    const plan = result.plan;
    checkPins(ctx, plan);
    ctx.gate = new RoutingGate(this.topology);
    ctx.setState('starting');
    try {
      // Certificates before any service: a listener starts with its certificates or not at all.
      const tls = await prepareLabTls(ctx.options.projectFolder ?? process.cwd(), plan);
      if (tls !== undefined) ctx.tls = tls;
      // DNS first: services may resolve names as soon as they run.
      ctx.dns = await startLabDns(ctx);
      for (const planned of plan.groups) {
        const group = new ScalingGroup(planned, this.groupHost);
        ctx.groups.set(planned.nodeId, group);
        // The first instances are part of the start: the balancers' own checks watch them.
        for (let i = 0; i < planned.desired; i++) {
          const spec = group.nextInstance();
          await startService(ctx, spec);
          group.ready.push(spec.id);
        }
      }
      for (const planned of plan.services) {
        const port = ctx.options.ports?.[planned.nodeId];
        await startService(ctx, { ...planned, id: planned.nodeId, ...(port !== undefined ? { port } : {}) });
      }
    } catch (error) {
      await stopServices(ctx);
      ctx.setState('stopped');
      throw error;
    }
    ctx.setState('running');
    ctx.log('info', 'lifecycle', `lab started: ${ctx.running.size} service${ctx.running.size === 1 ? '' : 's'}`);
    ctx.lastTick = Date.now();
    ctx.timer = setInterval(() => tick(ctx), ctx.options.metricsIntervalMs ?? 250);
    return this.status();
  }

  /** Stops every service, timer, health wait and load run; idempotent. */
  async stop(): Promise<void> {
    const { ctx } = this;
    if (ctx.state === 'idle' || ctx.state === 'stopped' || ctx.state === 'stopping') return;
    ctx.setState('stopping');
    if (ctx.timer) clearInterval(ctx.timer);
    ctx.timer = undefined;
    ctx.lifetime.abort();
    await Promise.allSettled([...ctx.pending]);
    await stopServices(ctx);
    ctx.setState('stopped');
    ctx.log('info', 'lifecycle', 'lab stopped');
  }

  /** The lab and every node now. */
  status(): LabStatus {
    const { ctx } = this;
    return {
      state: ctx.state,
      nodes: [...ctx.running.values()].map((r) => ctx.nodeStatus(r)),
      groups: [...ctx.groups.values()].map((g) => g.status()),
      droppedRoutes: [...ctx.dropped],
      ...pickDns(ctx.dns?.status()),
    };
  }

  /** Designed address -> loopback URL of every running service, in start order. */
  endpoints(): LabEndpoint[] {
    return this.ctx.order.flatMap((id) => {
      const running = this.ctx.running.get(id);
      if (!running?.endpoint) return [];
      const https = httpsUrlOf(running);
      const tls = running.spec.tls;
      const httpsAddress = https.httpsUrl !== undefined && tls !== undefined ? { httpsAddress: formatAddress({ ip: running.spec.address.ip, port: tls.port }) } : {};
      return [{ id, address: formatAddress(running.spec.address), url: urlOf(running.endpoint), ...https, ...httpsAddress }];
    });
  }

  /** Latest metrics of every running service. */
  metrics(): NodeMetrics[] {
    return this.ctx.metrics();
  }

  /** Resolves a name through the lab's DNS as node `from` does (its cache included); the host when `from` is undefined. */
  async resolve(name: string, from?: string): Promise<StubAnswer> {
    this.ctx.requireRunning();
    if (!this.ctx.dns) throw new LabError('not-found', 'the design has no DNS zone');
    return this.ctx.dns.lookup(name, from);
  }

  /**
   * Answers a DNS message a kernel lab's VPC resolver relayed (`undefined`: drop it, also
   * when the design has no zone or the lab is not running): the one server answers every
   * VPC, for the client at `from` asking its VPC's resolver.
   */
  protected answerRelayedDns(message: Buffer, transport: 'udp' | 'tcp', from: string, vpcId: string): Buffer | undefined {
    return this.ctx.dns?.answerRelayed(message, transport, from, vpcId);
  }

  /** The routing verdict the services get for one flow (for tests and the inspector). */
  verdict(fromNodeId: string, toNodeId: string): ReturnType<ConnectGate> {
    return this.ctx.requireGate().gate(fromNodeId, toNodeId);
  }

  /** Applies one fault; resolves with a sentence saying what changed. */
  async inject(fault: LabFault): Promise<string> {
    this.ctx.requireRunning();
    const message = await applyFault(this.ctx, fault);
    this.ctx.log('info', 'fault', message, fault.nodeId);
    return message;
  }

  /**
   * Applies property edits the services can take live: a server's weight (sent to every
   * balancer in front of it), a balancer's health check or algorithm. The plan keeps the
   * new values, so instances and restarts use them too. Resolves with what changed.
   */
  configure(change: LabReconfiguration): string {
    this.ctx.requireRunning();
    const message = reconfigure(this.ctx, change);
    this.ctx.log('info', 'fault', message, change.nodeId);
    return message;
  }

  /** Sends load to a node, from a node of the design when `from` is given. */
  load(options: LabLoadOptions): Promise<LoadResult> {
    return sendLoad(this.ctx, options);
  }

  /** Sends one request and returns what came back, with timings and the served-by chain. */
  request(options: LabRequestOptions): Promise<SingleRequestResult> {
    return sendRequest(this.ctx, options);
  }

  /** The design as it runs now (live filter edits applied), for labs built on this one. */
  protected currentDesign(): Topology {
    return this.ctx.design;
  }

  /** Emits one log line (for labs built on this one, such as the kernel lab). */
  protected log(level: LabLogEvent['level'], topic: LabLogEvent['topic'], message: string, nodeId?: string, data?: LabLogEvent['data']): void {
    this.ctx.log(level, topic, message, nodeId, data);
  }
}

function pickDns(dns: LabStatus['dns']): Pick<LabStatus, 'dns'> {
  return dns ? { dns } : {};
}
