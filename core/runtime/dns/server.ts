/**
 * The lab's DNS server: authoritative for the design's zones, on 127.0.0.1, over UDP and
 * TCP on one port (RFC 1035 §4.2, RFC 7766). It never recurses and never forwards: a name
 * outside the lab's zones is REFUSED. Malformed messages are answered FORMERR or dropped
 * (wire.ts); a global query rate and the TCP connection count are bounded, so a flood can
 * slow the lab's DNS but not stop the process.
 */
import type { ClientContext, LocateClient } from '../../routing/dns/zone.js';
import { DNS_MESSAGE_BOUNDS, DnsListener } from './listener.js';
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
  private readonly listener: DnsListener;
  private readonly limits: DnsServerLimits;
  private tokens: number;
  private refilledAt = Date.now();
  private readonly counters: DnsServerCounters = { queries: 0, udp: 0, tcp: 0, refused: 0, formerr: 0, notimp: 0, servfail: 0, dropped: 0, truncated: 0 };

  constructor(private readonly options: DnsServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.tokens = this.limits.queriesPerSecond;
    this.listener = new DnsListener({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      maxTcpConnections: this.limits.maxTcpConnections,
      tcpIdleMs: this.limits.tcpIdleMs,
      handle: (message, transport) => this.handle(message, transport),
      onMessage: (transport) => void this.counters[transport]++,
      onDrop: () => void this.counters.dropped++,
    });
  }

  /** Binds UDP and TCP on one port; a restart binds the same port again. */
  start(): Promise<{ host: string; port: number }> {
    return this.listener.start();
  }

  /** Closes both sockets and every TCP connection; idempotent. */
  stop(): Promise<void> {
    return this.listener.stop();
  }

  /** The bound endpoint, or undefined while stopped. */
  endpoint(): { host: string; port: number } | undefined {
    return this.listener.endpoint();
  }

  /** A copy of the server-wide counters. */
  counts(): DnsServerCounters {
    return { ...this.counters };
  }

  /**
   * Answers a message a kernel lab's VPC resolver relayed (kernel/host/dns-relay.ts), which
   * read it from its sockets within the same bounds: the client is who the relay says (its
   * address, and the VPC whose resolver it asked, whose private zones it sees), not an EDNS
   * client subnet it might send. Counted like a message of this server's own sockets.
   */
  answerRelayed(message: Buffer, transport: 'udp' | 'tcp', client: ClientContext): Buffer | undefined {
    if (message.length < DNS_MESSAGE_BOUNDS.min || message.length > DNS_MESSAGE_BOUNDS.max) {
      this.counters.dropped++;
      return undefined;
    }
    this.counters[transport]++;
    return this.handle(message, transport, client);
  }

  /** One message in, the reply bytes (or undefined to drop) out. Never throws. */
  private handle(message: Buffer, transport: 'udp' | 'tcp', client?: ClientContext): Buffer | undefined {
    if (!this.takeToken()) {
      this.counters.dropped++;
      return undefined;
    }
    try {
      const parsed = safeParseQuery(message);
      if (!parsed.ok) return this.reject(parsed.rejection, transport);
      return this.answer(parsed.query, transport, client);
    } catch {
      // A bug in answering must not take the server down: the client sees SERVFAIL.
      this.counters.servfail++;
      if (message.length < 2) return undefined;
      return encodeResponse({ id: message.readUInt16BE(0), rcode: 'SERVFAIL', authoritative: false, recursionDesired: false, answers: [], authorities: [] }, 512).bytes;
    }
  }

  private answer(query: ParsedQuery, transport: 'udp' | 'tcp', client?: ClientContext): Buffer {
    this.counters.queries++;
    const limit = transport === 'tcp' ? 65_535 : udpLimit(query.edns);
    if (query.question.class !== 'IN') {
      this.counters.refused++;
      return encodeResponse(responseParts(query, { rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], chosen: [] }), limit).bytes;
    }
    const result = this.options.state.answer({ name: query.question.name, type: query.question.type }, client ?? this.clientOf(query));
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
