import { DnsListener } from '../../dns/listener.js';
import type { RelayedDnsQuery } from './protocol.js';

/** Relayed messages waiting for the lab's answer at once; more are dropped, as an overloaded resolver drops them. */
const MAX_PENDING = 1024;
/** How long a relayed message waits for the lab's answer before it is dropped (a stub resolver asks again after 1 s). */
const ANSWER_TIMEOUT_MS = 2_000;

/**
 * A VPC's resolver at base + 2, in its router's namespace: reads DNS messages over UDP and
 * TCP within the lab server's own bounds (../../dns/listener.ts) and relays each, with the
 * client's address, to the lab, whose one DNS server answers it (so health checks, rotation
 * and metrics are those of the loopback lab). The VPC the resolver belongs to decides which
 * private zones the client sees, as with Route 53 Resolver.
 */
export class DnsRelay {
  private readonly listener: DnsListener;
  private readonly pending = new Map<number, { done: (reply: Buffer | undefined) => void; timer: NodeJS.Timeout }>();
  private next = 1;

  constructor(
    host: string,
    port: number,
    private readonly send: (query: RelayedDnsQuery) => void,
  ) {
    this.listener = new DnsListener({ host, port, maxTcpConnections: 64, tcpIdleMs: 10_000, handle: (message, transport, from) => this.relay(message, transport, from) });
  }

  start(): Promise<{ host: string; port: number }> {
    return this.listener.start();
  }

  /** The lab's answer to one relayed message (`undefined`: drop it). */
  answer(query: number, reply: Buffer | undefined): void {
    const entry = this.pending.get(query);
    if (!entry) return;
    this.pending.delete(query);
    clearTimeout(entry.timer);
    entry.done(reply);
  }

  async stop(): Promise<void> {
    for (const [query] of this.pending) this.answer(query, undefined);
    await this.listener.stop();
  }

  private relay(message: Buffer, transport: 'udp' | 'tcp', from: string): Promise<Buffer | undefined> | undefined {
    if (this.pending.size >= MAX_PENDING) return undefined;
    const query = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.answer(query, undefined), ANSWER_TIMEOUT_MS);
      timer.unref();
      this.pending.set(query, { done: resolve, timer });
      this.send({ query, transport, from, message: message.toString('base64') });
    });
  }
}
