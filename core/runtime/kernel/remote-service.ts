import type { ServiceSpec, ServiceWiring } from '../lab/lab.js';
import type { DesignedAddress } from '../lab/plan-types.js';
import type { Endpoint, LabService, NodeMetrics, ServiceEvent, ServiceKind, UpstreamTarget } from '../services/types.js';
import type { DialBook } from './dial.js';
import { LoopbackForwarder } from './forwarder.js';
import type { HostProcess } from './host-process.js';
import type { RemoteCallee, RemoteSpec, RemoteTarget, ResolverEntry } from './host/protocol.js';

/** What a remote service needs from the kernel lab. */
export interface RemoteContext {
  /** The namespace host of a lab id (a node or `asg#2`), started on first use. */
  host(id: string): HostProcess;
  dial: DialBook;
  /** Designed address of every service and instance, by lab id. */
  designed: ReadonlyMap<string, DesignedAddress>;
  /** Where the Unix socket of an entry point lives. */
  socketPath(id: string): string;
  /** The engine command that runs this node instead of the built-in service (--engine nginx|haproxy), if any. */
  engineCommand(id: string, role: ServiceSpec['role']): string | undefined;
  /**
   * Whether the service of a lab id was already started in its namespace (and its entry
   * point relayed) while the hosts came up; true once, so a later start fault starts it again.
   */
  takePrestarted(id: string): boolean;
  /** The resolver address (base + 2) of the VPC a lab id is in, when the lab serves DNS. */
  resolverFor(id: string): string | undefined;
}

/**
 * A lab service that runs in its node's namespace (through the node's host) while the
 * orchestration (`Lab`) drives it as if it were local. It binds the designed address
 * there, and its loopback endpoint is a forwarder on the host's 127.0.0.1. Upstream
 * targets are handed over as the addresses the kernel routes from this node; the kernel,
 * not the routing gate, decides whether each connection gets through.
 */
export class RemoteService implements LabService {
  readonly nodeId: string;
  readonly kind: ServiceKind;
  private readonly forwarder: LoopbackForwarder;
  private bound: Endpoint | undefined;
  private last: NodeMetrics;
  /** The host this service last started in (a new one replaces a host that died). */
  private attached: HostProcess | undefined;

  constructor(
    private readonly spec: ServiceSpec,
    private readonly wiring: ServiceWiring,
    private readonly context: RemoteContext,
  ) {
    this.nodeId = spec.id;
    this.kind = spec.role;
    this.forwarder = new LoopbackForwarder(context.socketPath(spec.id), spec.port);
    this.last = emptyMetrics(spec.id, spec.role);
  }

  async start(): Promise<Endpoint> {
    if (this.bound) return this.bound;
    const host = this.context.host(this.spec.id);
    if (this.attached !== host) {
      host.onEvent = (event) => {
        if (event.event === 'metrics') this.last = event.data as NodeMetrics;
        else if (event.event === 'service') this.wiring.onEvent(event.data as ServiceEvent);
      };
      // A host that dies takes the service with it: the lab shows the node crashed, and a start fault starts a new host.
      host.onExit = (code, signal, output) => {
        this.bound = undefined;
        void this.forwarder.close();
        this.last = { ...this.last, listening: false };
        this.wiring.onEvent({ type: 'crash', nodeId: this.spec.id, exitCode: code, signal, output });
      };
      this.attached = host;
    }
    if (!this.context.takePrestarted(this.spec.id)) {
      await host.call({ op: 'service.start', spec: this.remoteSpec() });
      await host.call({ op: 'forward.open', socket: this.context.socketPath(this.spec.id), host: this.spec.address.ip, port: this.spec.address.port });
    }
    this.bound = await this.forwarder.open();
    return this.bound;
  }

  async stop(): Promise<void> {
    this.bound = undefined;
    await this.forwarder.close();
    const host = this.attached;
    try {
      if (host && !host.ended) await host.call({ op: 'service.stop' });
    } catch {
      // stop() never rejects: a host that is gone has stopped its service.
    }
    this.last = { ...this.last, listening: false };
  }

  endpoint(): Endpoint | undefined {
    return this.bound;
  }

  metrics(): NodeMetrics {
    return this.last;
  }

  // ---- the live setters the lab calls (fire and forget: the lab's interface is synchronous) ----

  setTargets(targets: readonly UpstreamTarget[]): void {
    this.call('setTargets', [this.remoteTargets(targets)]);
  }

  setLatency(latency: unknown): void {
    this.call('setLatency', [latency]);
  }

  setErrorRate(rate: number): void {
    this.call('setErrorRate', [rate]);
  }

  setWeight(nodeId: string, weight: number): void {
    this.call('setWeight', [nodeId, weight]);
  }

  setHealthCheck(check: unknown): void {
    this.call('setHealthCheck', [check]);
  }

  setAlgorithm(algorithm: string): void {
    this.call('setAlgorithm', [algorithm]);
  }

  /** Purges a cache in its namespace; resolves with the number of entries dropped. */
  async purgeRemote(path?: string): Promise<number> {
    return Number(await this.context.host(this.spec.id).call({ op: 'service.call', method: 'purge', args: path === undefined ? [] : [path] }));
  }

  private call(method: 'setTargets' | 'setLatency' | 'setErrorRate' | 'setWeight' | 'setHealthCheck' | 'setAlgorithm', args: unknown[]): void {
    this.context
      .host(this.spec.id)
      .call({ op: 'service.call', method, args })
      .catch((error: unknown) => this.wiring.onEvent({ type: 'log', nodeId: this.spec.id, level: 'error', message: `${method} failed in the namespace: ${error instanceof Error ? error.message : String(error)}` }));
  }

  private remoteTargets(targets: readonly UpstreamTarget[]): RemoteTarget[] {
    return targets.flatMap((t) => {
      const address = this.context.designed.get(t.nodeId);
      const host = this.context.dial.address(this.spec.id, t.nodeId);
      if (!address || !host) return [];
      return [{ nodeId: t.nodeId, host, port: address.port, ...(t.weight !== undefined ? { weight: t.weight } : {}), ...(t.group !== undefined ? { group: t.group } : {}) }];
    });
  }

  private remoteSpec(): RemoteSpec {
    const s = this.spec;
    const resolver: ResolverEntry[] = [];
    if (s.role === 'forward-proxy') {
      for (const [id, address] of this.context.designed) {
        const dial = this.context.dial.address(s.id, id);
        if (dial && id !== s.id) resolver.push({ nodeId: id, ip: address.ip, port: address.port, dial });
      }
    }
    const dns = s.role === 'forward-proxy' ? this.context.resolverFor(s.id) : undefined;
    const spec = remoteSpecOf(s, { targets: this.remoteTargets(this.wiring.targets), resolver, callees: calleesOf(s, this.context.dial), cwd: this.wiring.cwd, designFolder: this.wiring.designFolder, engine: this.context.engineCommand(s.id, s.role) });
    return dns !== undefined && spec.role === 'forward-proxy' ? { ...spec, dns } : spec;
  }
}

/** The nodes a server calls, at the address it dials each of them (as a balancer's upstreams are). */
export function calleesOf(s: ServiceSpec, dial: DialBook): RemoteCallee[] {
  return (s.backend?.calls ?? []).flatMap((call) => {
    const address = dial.address(s.id, call.to);
    return address ? [{ nodeId: call.to, dial: address }] : [];
  });
}

/**
 * What a namespace host is told to run for one service: the planned settings, the
 * upstreams and resolved nodes as this node dials them, or (`engine`) the command that runs
 * the export in nginx or HAProxy instead.
 */
export function remoteSpecOf(s: ServiceSpec, wired: { targets: RemoteTarget[]; resolver: ResolverEntry[]; callees?: RemoteCallee[]; cwd: string | undefined; designFolder?: string | undefined; engine: string | undefined }): RemoteSpec {
  const fields = {
    backend: s.backend,
    algorithm: s.algorithm,
    healthCheck: s.healthCheck,
    sticky: s.sticky,
    maxBodyBytes: s.maxBodyBytes,
    timeoutMs: s.timeoutMs,
    maxBytes: s.maxBytes,
    defaultTtl: s.defaultTtl,
    allow: s.allow,
    deny: s.deny,
    rules: s.rules,
    gateway: s.gateway,
    cwd: wired.cwd,
    designFolder: wired.designFolder,
  };
  const engine = wired.engine;
  if (engine !== undefined) {
    // The real tool runs the exported file; the lab watches it as a user command (listening on the designed address).
    return { id: s.id, role: 'command', host: s.address.ip, port: s.address.port, backend: { command: engine }, targets: [], resolver: [] };
  }
  return {
    id: s.id,
    role: s.role,
    host: s.address.ip,
    port: s.address.port,
    targets: wired.targets,
    resolver: wired.resolver,
    ...(wired.callees && wired.callees.length > 0 ? { callees: wired.callees } : {}),
    ...(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<RemoteSpec>),
  };
}

function emptyMetrics(nodeId: string, kind: ServiceKind): NodeMetrics {
  return {
    nodeId,
    kind,
    at: Date.now(),
    listening: false,
    requests: 0,
    statusCodes: {},
    activeConnections: 0,
    bytesIn: 0,
    bytesOut: 0,
    latencyMs: { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
  };
}
