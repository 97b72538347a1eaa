import { TopologyIndex } from '../../model/queries.js';
import type { Topology } from '../../model/types.js';
import { validateTopology } from '../../validate/index.js';
import type { LabEndpoint, LabStatus } from '../lab/events.js';
import { editsFilters } from '../lab/filter-edits.js';
import { Lab, LabError, type LabFault, type LabLoadOptions, type LabOptions, type LabReconfiguration, type LabRequestOptions, type ServiceSpec, type ServiceWiring } from '../lab/lab.js';
import { LabPlanError, planLab } from '../lab/plan.js';
import type { DesignedAddress, LabPlan, PlannedService } from '../lab/plan-types.js';
import { withoutRoutes } from '../lab/routes.js';
import type { SingleRequestResult } from '../load/single.js';
import type { LoadResult, RequestOutcome } from '../load/types.js';
import type { LabService } from '../services/types.js';
import { designHash } from './design-hash.js';
import { DialBook } from './dial.js';
import { prepareEngine, type EngineCommand, type LabEngine } from './engine.js';
import { HostProcess } from './host-process.js';
import { KernelNetwork } from './kernel-network.js';
import { planKernelNetwork } from './plan/network.js';
import type { KernelNetworkPlan } from './plan/types.js';
import { cleanLeftovers } from './registry.js';
import { startResolvers } from './resolvers.js';
import { calleesOf, RemoteService, remoteSpecOf, type RemoteContext } from './remote-service.js';
import { KernelSandbox } from './sandbox.js';
import { kernelLabSupport } from './support.js';

/** Faults only the kernel lab has (the API lists them as KERNEL_FAULT_ACTIONS): a link down or up, a rate limit (Mbit/s) set or removed. */
export type KernelFaultAction = 'link-down' | 'link-up' | 'rate-limit' | 'rate-unlimit';

/** A fault of either lab. */
export type KernelLabFault = LabFault | { nodeId: string; action: KernelFaultAction; value?: number };

/** Options of a kernel lab. */
export type KernelLabOptions = Partial<Omit<LabOptions, 'createService'>> & {
  /** Run balancers and reverse proxies in nginx or HAProxy with the design's export, unchanged (default: built in). */
  engine?: LabEngine;
};

/** Hosts started at once while the lab comes up: Node start-up is CPU-bound, but on a busy machine more at once get through sooner (measured: 8 against 4 took a 50-node lab from 15.8 s to 10.8 s at load 13). */
const PARALLEL_HOSTS = 8;

/**
 * The kernel lab (`--mode netns`): the same orchestration as the loopback lab (`Lab`:
 * plan, start order, faults, scaling, metrics, events), but each service runs in its
 * node's network namespace at its designed address, routed and translated by the kernel
 * as the design says (./plan). Entry points stay reachable at 127.0.0.1 URLs through
 * forwarders. Stop, or the death of this process, removes every namespace.
 */
export class KernelLab extends Lab {
  private readonly remote: RemoteServices;
  private sandbox: KernelSandbox | undefined;
  private network: KernelNetwork | undefined;

  private readonly engine: LabEngine;
  /** The hosts of the VPC resolvers (one per VPC router, when the design has DNS zones). */
  private resolvers: HostProcess[] = [];

  constructor(topology: Topology, options: KernelLabOptions = {}) {
    const remote = new RemoteServices(topology, options.cwd);
    const { engine, ...lab } = options;
    super(topology, { ...lab, createService: (spec, wiring) => remote.create(spec, wiring) });
    this.remote = remote;
    this.engine = engine ?? 'builtin';
  }

  /** The kernel plan of the running lab (namespaces, addresses, public addresses). */
  plan(): KernelNetworkPlan | undefined {
    return this.network?.current();
  }

  /**
   * Replaces one nftables table of a namespace while the lab runs, in one transaction: the
   * way filters (security groups, network ACLs) will apply a changed rule to the next packet.
   */
  async replaceTable(ns: string, family: string, name: string, table: string): Promise<void> {
    if (!this.network) throw new LabError('not-running', 'the kernel lab is not running');
    await this.network.replaceTable(ns, family, name, table);
  }

  override async start(): Promise<LabStatus> {
    const diagnostics = validateTopology(this.topology);
    const services = planLab(this.topology, diagnostics);
    if (!services.ok) throw new LabPlanError(services.problems);
    const network = planKernelNetwork(this.topology, { diagnostics });
    if (!network.ok) throw new LabPlanError(network.problems);
    // HTTPS listeners and HTTPS to upstreams are the loopback lab's only: started here the
    // nodes would speak plain HTTP alone, and a design that says HTTPS must not run as if it had none.
    const https = this.topology.nodes.filter((n) => 'tls' in n && n.tls !== undefined && n.tls.enabled !== false).map((n) => n.id);
    if (https.length > 0) throw new LabError('bad-input', `the kernel lab does not run HTTPS listeners yet (tls on ${https.join(', ')}): run this design in the loopback lab, or set tls.enabled to false`);
    const upstreamTls = this.topology.nodes.filter((n) => 'tls' in n && n.tls?.upstream === true).map((n) => n.id);
    if (upstreamTls.length > 0) throw new LabError('bad-input', `the kernel lab does not connect to upstreams over HTTPS yet (tls.upstream on ${upstreamTls.join(', ')}): run this design in the loopback lab, or set tls.upstream to false`);
    const support = await kernelLabSupport();
    if (!support.ok) throw new LabError('failed', support.reason);
    cleanLeftovers();
    const sandbox = await KernelSandbox.create();
    this.sandbox = sandbox;
    try {
      this.network = new KernelNetwork(sandbox, network.plan);
      await this.network.build();
      sandbox.recordNamespaces(network.plan.nodeNamespaces, designHash(this.topology));
      this.remote.prepare(sandbox, network.plan, services.plan);
      if (this.engine !== 'builtin') {
        try {
          this.remote.engine = prepareEngine(this.engine, this.topology, sandbox.dir);
        } catch (error) {
          throw new LabError('failed', error instanceof Error ? error.message : String(error));
        }
      }
      const first = [...services.plan.services.map((s) => s.nodeId), ...services.plan.groups.flatMap((g) => Array.from({ length: g.desired }, (_, i) => `${g.nodeId}#${i + 1}`))];
      // Built-in servers (nothing upstream, no user command) start with their host, in parallel: the lab's ordered start then finds them running.
      const leaves = new Map(services.plan.services.filter((s) => s.role === 'backend').map((s) => [s.nodeId, s]));
      await this.remote.startHosts(first, PARALLEL_HOSTS, leaves);
      const status = await super.start();
      this.resolvers = await startResolvers(sandbox, network.plan, {
        answer: (message, transport, from, vpcId) => this.answerRelayedDns(message, transport, from, vpcId),
        log: (vpcId, message) => void this.logged(vpcId, message),
      });
      return status;
    } catch (error) {
      await this.teardown();
      throw error;
    }
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.teardown();
  }

  /** The filter tables of a live edit, while they go in. */
  private refiltering: Promise<void> = Promise.resolve();

  /** A live edit; one of the design's filters rewrites the namespaces' nftables tables (wait with `settled`). */
  override configure(change: LabReconfiguration): string {
    const message = super.configure(change);
    if (editsFilters(change) && this.network) {
      const network = this.network;
      const design = this.currentDesign();
      const next = planKernelNetwork(design, { routing: withoutRoutes(design, this.status().droppedRoutes) });
      if (next.ok) this.refiltering = this.refiltering.catch(() => undefined).then(() => network.refilter(next.plan));
    }
    return message;
  }

  /** Resolves once every live filter edit is in the kernel. */
  settled(): Promise<void> {
    return this.refiltering;
  }

  override endpoints(): LabEndpoint[] {
    const addressing = this.network?.current().addressing ?? {};
    return super.endpoints().map((e) => {
      const publicAddress = addressing[e.id]?.public;
      return publicAddress !== undefined && publicAddress !== addressing[e.id]?.private ? { ...e, publicAddress } : e;
    });
  }

  override async inject(fault: KernelLabFault): Promise<string> {
    if (this.status().state !== 'running') throw new LabError('not-running', `the lab is ${this.status().state}, not running`);
    const network = this.network as KernelNetwork;
    switch (fault.action) {
      case 'link-down':
      case 'link-up': {
        const ends = await this.kernelFault(() => network.setLink(fault.nodeId, fault.action === 'link-up'));
        return this.logged(fault.nodeId, `link of ${fault.nodeId} ${fault.action === 'link-up' ? 'up' : 'down'} (${describeEnds(ends)})`);
      }
      case 'rate-limit': {
        const value = fault.value;
        if (value === undefined || !Number.isFinite(value) || value <= 0 || value > 100_000) throw new LabError('bad-input', `rate-limit on "${fault.nodeId}" needs a value: Mbit/s, more than 0 and at most 100000`);
        const ends = await this.kernelFault(() => network.rateLimit(fault.nodeId, value));
        return this.logged(fault.nodeId, `${fault.nodeId} limited to ${value} Mbit/s each way (tbf on ${describeEnds(ends)})`);
      }
      case 'rate-unlimit': {
        const ends = await this.kernelFault(() => network.rateLimit(fault.nodeId, undefined));
        return this.logged(fault.nodeId, `rate limit of ${fault.nodeId} removed (${describeEnds(ends)})`);
      }
      case 'purge': {
        const dropped = await this.remote.purge(fault.nodeId, fault.path);
        return this.logged(fault.nodeId, `purged ${dropped} entr${dropped === 1 ? 'y' : 'ies'} from ${fault.nodeId}${fault.path ? ` for ${fault.path}` : ''}`);
      }
      case 'drop-route':
      case 'restore-route': {
        const message = await super.inject(fault);
        const design = this.currentDesign();
        const next = planKernelNetwork(design, { routing: withoutRoutes(design, this.status().droppedRoutes) });
        if (next.ok) await this.kernelFault(() => network.reroute(next.plan));
        return message;
      }
      default:
        return super.inject(fault);
    }
  }

  override async load(options: LabLoadOptions): Promise<LoadResult> {
    if (options.from === undefined) return super.load(options);
    if (options.sources !== undefined && options.sources > 1) throw new LabError('bad-input', 'sources applies to traffic from the host; a client of the design sends from its one address (drop --sources or --from)');
    const { host, url, viaProxyTo } = this.fromNamespace(options);
    const run = host.peekId();
    const abort = (): void => host.cancel(run);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      return await host.call<LoadResult>(
        {
          op: 'load',
          options: {
            url,
            ...pick({ viaProxyTo, path: options.path, method: options.method, headers: options.headers, requests: options.requests, durationSeconds: options.durationSeconds, concurrency: options.concurrency, rps: options.rps }),
            ...(options.durationSeconds === undefined && options.requests === undefined ? { requests: 100 } : {}),
            records: options.onRequest !== undefined,
            progress: options.onProgress !== undefined,
          },
        },
        (event) => {
          if (event.event === 'progress') options.onProgress?.(event.data as Parameters<NonNullable<LabLoadOptions['onProgress']>>[0]);
          else if (event.event === 'records') for (const record of event.data as RequestOutcome[]) options.onRequest?.(record);
        },
      );
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  override async request(options: LabRequestOptions): Promise<SingleRequestResult> {
    if (options.from === undefined) return super.request(options);
    const { host, url, viaProxyTo } = this.fromNamespace(options);
    let target = viaProxyTo;
    let path = options.path;
    if (options.target !== undefined) {
      const parsed = new URL(options.target);
      target = parsed.origin;
      path = `${parsed.pathname}${parsed.search}`;
    }
    return host.call<SingleRequestResult>({ op: 'request', options: { url, ...pick({ viaProxyTo: target, path, method: options.method, headers: options.headers, body: options.body }) } });
  }

  /** Where traffic `from` a node of the design goes: its host, and the URL as it dials it. */
  private fromNamespace(options: { from?: string; to: string; via?: string }): { host: HostProcess; url: string; viaProxyTo?: string } {
    const from = options.from as string;
    const entry = options.via ?? options.to;
    const status = this.status();
    if (status.state !== 'running') throw new LabError('not-running', `the lab is ${status.state}, not running`);
    if (!this.topology.nodes.some((n) => n.id === from)) throw new LabError('not-found', `"${from}" is not a node of this design`);
    const to = status.nodes.find((n) => n.id === options.to);
    if (!to) throw new LabError('not-found', `"${options.to}" is not a running node of this lab`);
    if (options.via !== undefined && !status.nodes.some((n) => n.id === options.via && n.role === 'forward-proxy')) throw new LabError('bad-input', `"${options.via}" is not a running forward proxy`);
    // The design must route the flow, as in the loopback lab; the differential test proves the kernel agrees.
    const verdict = this.verdict(from, entry);
    if (!verdict.allowed) throw new LabError('blocked', `${from} cannot reach ${entry} in the design: blocked by ${verdict.blockedBy}: ${verdict.reason}`, { from, to: entry, blockedBy: verdict.blockedBy, code: verdict.code, reason: verdict.reason });
    const host = this.remote.host(from);
    const address = this.remote.designed.get(entry);
    const dial = this.remote.dialBook().address(from, entry);
    if (!address || !dial) throw new LabError('failed', `"${entry}" has no address in the kernel lab`);
    const url = `http://${dial.includes(':') ? `[${dial}]` : dial}:${address.port}`;
    if (options.via === undefined) return { host, url };
    const toAddress = this.remote.designed.get(options.to) as DesignedAddress;
    return { host, url, viaProxyTo: `http://${toAddress.ip.includes(':') ? `[${toAddress.ip}]` : toAddress.ip}:${toAddress.port}` };
  }

  private async kernelFault<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new LabError('bad-input', error instanceof Error ? error.message : String(error));
    }
  }

  private logged(nodeId: string, message: string): string {
    this.log('info', 'fault', message, nodeId);
    return message;
  }

  private async teardown(): Promise<void> {
    await Promise.allSettled(this.resolvers.splice(0).map((h) => h.close()));
    await this.remote.close();
    await this.sandbox?.close();
    this.sandbox = undefined;
  }
}

/**
 * The services of a kernel lab and the hosts they run in: one host per namespace, started
 * ahead of the lab (in parallel) or on first use (a client sending load, a new auto-scaling
 * instance).
 */
class RemoteServices implements RemoteContext {
  readonly designed = new Map<string, DesignedAddress>();
  private readonly hosts = new Map<string, HostProcess>();
  private readonly services = new Map<string, RemoteService>();
  private sandbox: KernelSandbox | undefined;
  private plan: KernelNetworkPlan | undefined;
  private book: DialBook | undefined;
  /** Services started with their host (see `startHosts`), until the lab's start takes them over. */
  private readonly prestarted = new Set<string>();

  constructor(
    private readonly topology: Topology,
    private readonly cwd: string | undefined,
  ) {}

  takePrestarted(id: string): boolean {
    return this.prestarted.delete(id);
  }

  resolverFor(id: string): string | undefined {
    const node = id.includes('#') ? id.slice(0, id.indexOf('#')) : id;
    this.index ??= new TopologyIndex(this.topology);
    const vpc = this.index.vpcOf(node);
    return vpc ? this.plan?.resolvers[vpc.id] : undefined;
  }

  private index: TopologyIndex | undefined;

  get dial(): DialBook {
    return this.dialBook();
  }

  dialBook(): DialBook {
    if (!this.book) throw new LabError('not-running', 'the kernel lab has not been started');
    return this.book;
  }

  prepare(sandbox: KernelSandbox, plan: KernelNetworkPlan, lab: LabPlan): void {
    this.sandbox = sandbox;
    this.plan = plan;
    this.book = new DialBook(this.topology, plan.addressing);
    for (const service of lab.services) this.designed.set(service.nodeId, service.address);
    for (const group of lab.groups) group.instanceAddresses.forEach((address, i) => this.designed.set(`${group.nodeId}#${i + 1}`, address));
  }

  create(spec: ServiceSpec, wiring: ServiceWiring): LabService {
    const service = new RemoteService(spec, wiring, this);
    this.services.set(spec.id, service);
    return service;
  }

  host(id: string): HostProcess {
    let host = this.hosts.get(id);
    if (host && !host.ended) return host;
    const ns = this.plan?.nodeNamespaces[id];
    if (!ns || !this.sandbox) throw new LabError('not-found', `"${id}" has no namespace in the kernel lab`);
    host = new HostProcess(this.sandbox, ns);
    this.hosts.set(id, host);
    return host;
  }

  /**
   * Starts the hosts of `ids`, `parallel` at a time, and in the same go the services of
   * `prestart` (leaf services: what the lab would send them first), with their entry
   * point's relay, so the lab's ordered start does not wait on each in turn.
   */
  async startHosts(ids: readonly string[], parallel: number, prestart: ReadonlyMap<string, PlannedService>): Promise<void> {
    const queue = [...ids];
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const host = this.host(id);
        await host.started();
        const planned = prestart.get(id);
        if (!planned) continue;
        const spec = { ...planned, id };
        await host.call({ op: 'service.start', spec: remoteSpecOf(spec, { targets: [], resolver: [], callees: calleesOf(spec, this.dialBook()), cwd: this.cwd, engine: this.engineCommand(id, planned.role) }) });
        await host.call({ op: 'forward.open', socket: this.socketPath(id), host: planned.address.ip, port: planned.address.port });
        this.prestarted.add(id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  }

  /** Set when balancers and reverse proxies run in nginx or HAProxy. */
  engine: EngineCommand | undefined;

  engineCommand(id: string, role: ServiceSpec['role']): string | undefined {
    const ns = this.plan?.nodeNamespaces[id];
    return ns === undefined ? undefined : this.engine?.(role, ns);
  }

  socketPath(id: string): string {
    return (this.sandbox as KernelSandbox).file('sockets', `${this.plan?.nodeNamespaces[id] ?? id.replace(/[^A-Za-z0-9]/g, '_')}.sock`);
  }

  async purge(nodeId: string, path?: string): Promise<number> {
    const service = this.services.get(nodeId);
    if (!service) throw new LabError('not-found', `"${nodeId}" is not a running node of this lab`);
    if (service.kind !== 'cache') throw new LabError('bad-input', `"${nodeId}" is a ${service.kind}: only caches can be purged`);
    return service.purgeRemote(path);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.hosts.values()].map((h) => h.close()));
    this.hosts.clear();
  }
}

function describeEnds(ends: readonly { ns: string; dev: string }[]): string {
  return ends.map((e) => `${e.ns}/${e.dev}`).join(', ');
}

function pick<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
