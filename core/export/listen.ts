import type { TopologyNode } from '../model/types.js';
import type { DesignView } from './design.js';
import { formatEndpoint, mapEndpoint, splitHostPort, type ExportOptions } from './options.js';
import type { ReportBuilder } from './report.js';

/** The first port loopback mode hands out to a listener the user gave none. */
export const LOOPBACK_BASE_PORT = 8080;

/** A `host:port` a config binds or connects to. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Where a rendered config listens and what it connects to. In `designed` mode both are the
 * designed addresses (after the address map). In `loopback` mode every node the target
 * writes listens on 127.0.0.1 (the port the user gave, else the next free one from 8080),
 * connections to those nodes stay inside the config, and every other upstream is the
 * address map's (the running lab's endpoint table): the config runs as-is in front of a lab.
 */
export class Addressing {
  private readonly listeners = new Map<string, HostPort>();
  private readonly byDesigned = new Map<string, HostPort>();
  private readonly reported = new Set<string>();

  constructor(
    view: DesignView,
    private readonly options: ExportOptions,
    written: readonly TopologyNode[],
  ) {
    if (options.listen?.mode !== 'loopback') return;
    const given = options.listen.ports ?? {};
    const taken = new Set<number>(Object.values(given));
    for (const target of Object.values(options.addressMap ?? {})) {
      const parsed = splitHostPort(target);
      if (parsed) taken.add(parsed.port);
    }
    let next = LOOPBACK_BASE_PORT;
    for (const node of written) {
      const address = view.addresses.get(node.id);
      if (!address) continue;
      let port = given[node.id];
      if (port === undefined) {
        while (taken.has(next)) next += 1;
        port = next;
        taken.add(port);
      }
      const hostPort = { host: '127.0.0.1', port };
      this.listeners.set(node.id, hostPort);
      this.byDesigned.set(formatEndpoint(address.ip, address.port), hostPort);
    }
  }

  /** Whether the config runs on loopback in front of a lab. */
  get loopback(): boolean {
    return this.options.listen?.mode === 'loopback';
  }

  /** Where a node's listener binds. */
  listenOn(nodeId: string, ip: string, port: number): HostPort {
    return this.listeners.get(nodeId) ?? mapEndpoint(this.options, ip, port);
  }

  /**
   * Where a connection to a designed endpoint goes. In loopback mode an endpoint that is
   * neither written by this config nor in the address map cannot be reached: it is reported
   * once (the CLI refuses such an export) and written at its designed address.
   */
  connectTo(ip: string, port: number, report: ReportBuilder, nodeId: string): HostPort {
    const inside = this.byDesigned.get(formatEndpoint(ip, port));
    if (inside) return inside;
    const mapped = mapEndpoint(this.options, ip, port);
    if (this.loopback && mapped.host === ip && mapped.port === port && !this.reported.has(nodeId)) {
      this.reported.add(nodeId);
      report.notExpressible(nodeId, 'loopback-endpoint', `no loopback endpoint for ${formatEndpoint(ip, port)}: pass the lab's endpoint table (--map-file from \`topolab up --json\`) or --map ${formatEndpoint(ip, port)}=127.0.0.1:PORT`, 'start the lab (`topolab up --json > lab.jsonl`) and export with --map-file lab.jsonl');
    }
    return mapped;
  }

  /** Every listener of loopback mode, for the config's header comment. */
  loopbackListeners(): [string, HostPort][] {
    return [...this.listeners];
  }
}
