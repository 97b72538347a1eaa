/**
 * The lab's DNS server: authoritative for the design's zones, on 127.0.0.1, over UDP and
 * TCP on one port (RFC 1035 §4.2, RFC 7766). It never recurses and never forwards: a name
 * outside the lab's zones is REFUSED. Malformed messages are answered FORMERR or dropped
 * (wire.ts); a global query rate and the TCP connection count are bounded, so a flood can
 * slow the lab's DNS but not stop the process.
 */
import dgram, { type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import net, { type Server as TcpServer, type Socket } from 'node:net';
import type { ClientContext, LocateClient } from '../../routing/dns/zone.js';
import type { DnsState } from './state.js';
import { encodeResponse, rejectionParts, responseParts, safeParseQuery, udpLimit, type ParsedQuery, type QueryRejection } from './wire.js';

/** Limits of one server; the defaults suit a lab on one machine. */
export interface DnsServerLimits {
  /** Queries answered per second over both transports; past it queries are dropped. Default 20,000. */
  queriesPerSecond: number;
  /** TCP connections open at once. Default 64. */
  maxTcpConnections: number;
  /** A TCP connection with no complete query for this long is closed (RFC 7766 §6.2.3). Default 10 s. */
  tcpIdleMs: number;
}

/** How a DNS server is set up. */
export interface DnsServerOptions {
  state: DnsState;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port; UDP and TCP share it). */
  port?: number;
  locate?: LocateClient;
  limits?: Partial<DnsServerLimits>;
}

/** Server-wide counters (per-zone ones are in `DnsState.metrics()`). */
export interface DnsServerCounters {
  queries: number;
  udp: number;
  tcp: number;
  refused: number;
  formerr: number;
  notimp: number;
  servfail: number;
  /** Messages dropped unanswered: too short, too long, responses, over the rate. */
  dropped: number;
  /** UDP answers sent with TC set (the client retries over TCP). */
  truncated: number;
}

const DEFAULT_LIMITS: DnsServerLimits = { queriesPerSecond: 20_000, maxTcpConnections: 64, tcpIdleMs: 10_000 };

/** The lab's DNS server. */
export class DnsServer {
  private udp?: UdpSocket;
  private tcp?: TcpServer;
  private readonly connections = new Set<Socket>();
  private readonly limits: DnsServerLimits;
  private boundPort: number;
  private tokens: number;
  private refilledAt = Date.now();
  private readonly counters: DnsServerCounters = { queries: 0, udp: 0, tcp: 0, refused: 0, formerr: 0, notimp: 0, servfail: 0, dropped: 0, truncated: 0 };

  constructor(private readonly options: DnsServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.tokens = this.limits.queriesPerSecond;
    this.boundPort = options.port ?? 0;
  }

  /** Binds UDP and TCP on one port; a restart binds the same port again. */
  async start(): Promise<{ host: string; port: number }> {
    const host = this.options.host ?? '127.0.0.1';
    if (this.udp) return { host, port: this.boundPort };
    // With port 0 the UDP port may be taken on TCP: try a few free ports.
    for (let attempt = 0; ; attempt++) {
      const udp = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
      udp.on('message', (message, remote) => this.onDatagram(udp, message, remote));
      udp.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.boundPort, host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      const port = udp.address().port;
      const tcp = net.createServer((socket) => this.onConnection(socket));
      tcp.maxConnections = this.limits.maxTcpConnections;
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen(port, host, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        udp.close();
        if (this.boundPort === 0 && attempt < 10) continue;
        throw error;
      }
      tcp.on('error', () => undefined);
      this.udp = udp;
      this.tcp = tcp;
      this.boundPort = port;
      return { host, port };
    }
  }

  /** Closes both sockets and every TCP connection; idempotent. */
  async stop(): Promise<void> {
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    await Promise.all([
      udp ? new Promise<void>((resolve) => udp.close(() => resolve())) : undefined,
      tcp ? new Promise<void>((resolve) => tcp.close(() => resolve())) : undefined,
    ]);
  }

  /** The bound endpoint, or undefined while stopped. */
  endpoint(): { host: string; port: number } | undefined {
    return this.udp ? { host: this.options.host ?? '127.0.0.1', port: this.boundPort } : undefined;
  }

  /** A copy of the server-wide counters. */
  counts(): DnsServerCounters {
    return { ...this.counters };
  }

  private onDatagram(socket: UdpSocket, message: Buffer, remote: RemoteInfo): void {
    this.counters.udp++;
    const reply = this.handle(message, 'udp');
    if (reply) socket.send(reply, remote.port, remote.address, () => undefined);
  }

  private onConnection(socket: Socket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.limits.tcpIdleMs, () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        // A message too long to be a query is not read at all: the connection is closed.
        if (length > 4096 || length < 12) {
          this.counters.dropped++;
          socket.destroy();
          return;
        }
        if (pending.length < 2 + length) break;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        this.counters.tcp++;
        const reply = this.handle(message, 'tcp');
        if (reply) {
          const framed = Buffer.alloc(2 + reply.length);
          framed.writeUInt16BE(reply.length, 0);
          reply.copy(framed, 2);
          socket.write(framed);
          // A client that sends queries but never reads the answers is cut off, not buffered for.
          if (socket.writableLength > 1_048_576) {
            socket.destroy();
            return;
          }
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
  }

  /** One message in, the reply bytes (or undefined to drop) out. Never throws. */
  private handle(message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    if (!this.takeToken()) {
      this.counters.dropped++;
      return undefined;
    }
    try {
      const parsed = safeParseQuery(message);
      if (!parsed.ok) return this.reject(parsed.rejection, transport);
      return this.answer(parsed.query, transport);
    } catch {
      // A bug in answering must not take the server down: the client sees SERVFAIL.
      this.counters.servfail++;
      if (message.length < 2) return undefined;
      return encodeResponse({ id: message.readUInt16BE(0), rcode: 'SERVFAIL', authoritative: false, recursionDesired: false, answers: [], authorities: [] }, 512).bytes;
    }
  }

  private answer(query: ParsedQuery, transport: 'udp' | 'tcp'): Buffer {
    this.counters.queries++;
    const limit = transport === 'tcp' ? 65_535 : udpLimit(query.edns);
    if (query.question.class !== 'IN') {
      this.counters.refused++;
      return encodeResponse(responseParts(query, { rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], chosen: [] }), limit).bytes;
    }
    const result = this.options.state.answer({ name: query.question.name, type: query.question.type }, this.clientOf(query));
    if (result.rcode === 'REFUSED') this.counters.refused++;
    if (result.rcode === 'SERVFAIL') this.counters.servfail++;
    const encoded = encodeResponse(responseParts(query, result), limit);
    if (encoded.truncated) this.counters.truncated++;
    return encoded.bytes;
  }

  private reject(rejection: QueryRejection, transport: 'udp' | 'tcp'): Buffer | undefined {
    if (rejection.action === 'drop') {
      this.counters.dropped++;
      return undefined;
    }
    if (rejection.rcode === 'FORMERR') this.counters.formerr++;
    if (rejection.rcode === 'NOTIMP') this.counters.notimp++;
    const limit = transport === 'tcp' ? 65_535 : udpLimit(rejection.edns);
    return encodeResponse(rejectionParts(rejection), limit).bytes;
  }

  /** The client as the query describes it: the EDNS client subnet stands for the lab client's designed address. */
  private clientOf(query: ParsedQuery): ClientContext {
    const subnet = query.edns?.clientSubnet;
    if (!subnet) return {};
    const where = this.options.locate?.(subnet.address);
    return { address: subnet.address, ...(where?.vpcId !== undefined ? { vpcId: where.vpcId } : {}), ...(where?.region !== undefined ? { region: where.region } : {}) };
  }

  private takeToken(): boolean {
    const now = Date.now();
    const rate = this.limits.queriesPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) * rate) / 1000);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
