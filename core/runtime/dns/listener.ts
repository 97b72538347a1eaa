/**
 * The sockets of a DNS endpoint: UDP and TCP on one address and port (RFC 1035 §4.2,
 * RFC 7766), with the framing and the bounds that keep a hostile client from hurting the
 * process: a datagram or TCP frame shorter than a header or longer than 4096 bytes is
 * dropped (a TCP connection announcing one is closed), TCP connections are capped and idle
 * ones closed, and a client that sends queries without reading the answers is cut off.
 * What a message means is the handler's business: the lab's server answers it in place
 * (server.ts), a kernel lab's VPC resolver relays it to that server (kernel/host/dns-relay.ts).
 */
import dgram, { type Socket as UdpSocket } from 'node:dgram';
import net, { type Server as TcpServer, type Socket } from 'node:net';
import { MAX_QUERY_BYTES } from './wire.js';

/** The smallest and largest message a DNS endpoint reads (a header; a query is tens of bytes). */
export const DNS_MESSAGE_BOUNDS = { min: 12, max: MAX_QUERY_BYTES } as const;

/** Answers one message from `from` (the client's address); `undefined` drops it. */
export type DnsMessageHandler = (message: Buffer, transport: 'udp' | 'tcp', from: string) => Buffer | undefined | Promise<Buffer | undefined>;

/** How a DNS listener is set up. */
export interface DnsListenerOptions {
  host: string;
  /** 0 picks a free port that UDP and TCP share. */
  port: number;
  maxTcpConnections: number;
  /** A TCP connection with no complete query for this long is closed (RFC 7766 §6.2.3). */
  tcpIdleMs: number;
  handle: DnsMessageHandler;
  /** Called for each message read (a datagram, or a TCP frame within the bounds), by transport. */
  onMessage?: (transport: 'udp' | 'tcp') => void;
  /** Called for each message dropped for its size. */
  onDrop?: () => void;
}

/** UDP and TCP sockets of one DNS endpoint. */
export class DnsListener {
  private udp?: UdpSocket;
  private tcp?: TcpServer;
  private readonly connections = new Set<Socket>();
  private boundPort: number;

  constructor(private readonly options: DnsListenerOptions) {
    this.boundPort = options.port;
  }

  /** Binds UDP and TCP on one port; a restart binds the same port again. */
  async start(): Promise<{ host: string; port: number }> {
    const host = this.options.host;
    if (this.udp) return { host, port: this.boundPort };
    // With port 0 the UDP port may be taken on TCP: try a few free ports.
    for (let attempt = 0; ; attempt++) {
      const udp = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
      udp.on('message', (message, remote) => this.onDatagram(udp, message, remote.address, remote.port));
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
      tcp.maxConnections = this.options.maxTcpConnections;
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
    return this.udp ? { host: this.options.host, port: this.boundPort } : undefined;
  }

  private onDatagram(socket: UdpSocket, message: Buffer, address: string, port: number): void {
    this.options.onMessage?.('udp');
    if (message.length < DNS_MESSAGE_BOUNDS.min || message.length > DNS_MESSAGE_BOUNDS.max) {
      this.options.onDrop?.();
      return;
    }
    void this.reply(message, 'udp', address, (reply) => socket.send(reply, port, address, () => undefined));
  }

  private onConnection(socket: Socket): void {
    this.connections.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.options.tcpIdleMs, () => socket.destroy());
    const from = socket.remoteAddress ?? '';
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        // A message too long to be a query is not read at all: the connection is closed.
        if (length > DNS_MESSAGE_BOUNDS.max || length < DNS_MESSAGE_BOUNDS.min) {
          this.options.onDrop?.();
          socket.destroy();
          return;
        }
        if (pending.length < 2 + length) break;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        this.options.onMessage?.('tcp');
        void this.reply(message, 'tcp', from, (reply) => {
          if (socket.destroyed) return;
          const framed = Buffer.alloc(2 + reply.length);
          framed.writeUInt16BE(reply.length, 0);
          reply.copy(framed, 2);
          socket.write(framed);
          // A client that sends queries but never reads the answers is cut off, not buffered for.
          if (socket.writableLength > 1_048_576) socket.destroy();
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
  }

  /** Runs the handler; a synchronous answer is sent at once, so TCP answers keep the queries' order. */
  private reply(message: Buffer, transport: 'udp' | 'tcp', from: string, send: (reply: Buffer) => void): Promise<void> | undefined {
    const answer = this.options.handle(message, transport, from);
    if (answer instanceof Promise) {
      return answer.then(
        (reply) => {
          if (reply) send(reply);
        },
        () => undefined,
      );
    }
    if (answer) send(answer);
    return undefined;
  }
}
