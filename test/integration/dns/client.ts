/** Raw DNS clients for the tests: one datagram or one TCP message, and `dig`. */
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type DecodedPacket } from 'dns-packet';

/** Sends one datagram from 127.0.0.1 and resolves the first reply, or undefined after `timeoutMs`. */
export function udpExchange(port: number, message: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => done(undefined), timeoutMs);
    function done(reply: Buffer | undefined): void {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    }
    socket.on('message', (reply) => done(reply));
    socket.on('error', () => done(undefined));
    socket.bind(0, '127.0.0.1', () => socket.send(message, port, '127.0.0.1'));
  });
}

/** Sends raw bytes on a new TCP connection; resolves the first framed reply, or `closed` if the server hangs up first. */
export function tcpExchange(port: number, bytes: Buffer, timeoutMs = 3000): Promise<Buffer | 'closed' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffer: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    function finish(result: Buffer | 'closed' | 'timeout'): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) finish(buffer.subarray(2, 2 + buffer.readUInt16BE(0)));
    });
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('closed'));
  });
}

/** A query packet; `edns` adds an OPT record (with a client subnet when `subnet` is given). */
export function query(name: string, type = 'A', options: { id?: number; edns?: boolean; subnet?: string; udpSize?: number } = {}): Buffer {
  const opts = options.subnet ? [{ code: 'CLIENT_SUBNET', ip: options.subnet, sourcePrefixLength: 32, scopePrefixLength: 0 }] : [];
  return dnsPacket.encode({
    type: 'query',
    id: options.id ?? 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as 'A', class: 'IN' }],
    additionals: options.edns || options.subnet ? [{ type: 'OPT', name: '.', udpPayloadSize: options.udpSize ?? 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: opts as never }] : [],
  });
}

/** Decodes a reply (throws on garbage, which a test should see). */
export function decode(reply: Buffer | undefined): DecodedPacket & { rcode: string } {
  if (!reply) throw new Error('no reply');
  return dnsPacket.decode(reply) as DecodedPacket & { rcode: string };
}

/** Sends a query over UDP and decodes the reply. */
export async function ask(port: number, name: string, type = 'A', options: Parameters<typeof query>[2] = {}): Promise<DecodedPacket & { rcode: string }> {
  return decode(await udpExchange(port, query(name, type, options)));
}

/** The data of the answers of one type. */
export function dataOf(packet: DecodedPacket, type = 'A'): string[] {
  return (packet.answers ?? []).filter((a) => a.type === type).map((a) => String((a as { data: unknown }).data));
}

/** Runs `dig @127.0.0.1 -p PORT args...`; resolves stdout. */
export function dig(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args], { timeout: 15_000 }, (error, stdout) => {
      if (error && !stdout) reject(error);
      else resolve(stdout);
    });
  });
}

/** Whether `dig` is installed (Debian's bind9-dnsutils; .ci/run installs it). */
export function hasDig(): Promise<boolean> {
  return new Promise((resolve) => execFile('dig', ['-v'], (error) => resolve(!error)));
}

/** Mulberry32: a small seeded generator, so a weighted or fuzz test sees the same draws every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
