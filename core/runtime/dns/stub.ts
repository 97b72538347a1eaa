/**
 * A stub resolver for lab clients (RFC 1034 §5.3.1): asks the lab's DNS server over UDP,
 * falls back to TCP when the answer is truncated (RFC 7766), and caches answers for their
 * TTL, negative ones for the SOA's negative TTL (RFC 2308), as the resolver library of a
 * client host does. It sends the client's designed address as an EDNS client subnet
 * (RFC 7871), which is how the lab's server knows who asks (private zones, latency records).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket } from 'dns-packet';
import { normalizeDomainName } from '../../model/dns-names.js';
import { SERVER_UDP_PAYLOAD } from './wire.js';

/** The outcome of one lookup. */
export interface StubAnswer {
  name: string;
  type: 'A' | 'AAAA';
  /** Addresses in answer order (the order the client tries them in). */
  addresses: string[];
  /** The rcode of the answer (`NOERROR`, `NXDOMAIN`, `REFUSED`, `SERVFAIL`). */
  rcode: string;
  /** Seconds the answer stays cached from now (0: not cached). */
  ttl: number;
  /** True when the answer came from the cache. */
  fromCache: boolean;
  /** The CNAME chain followed, names in order. */
  cnames: string[];
}

/** How a stub resolver reaches its server and who it speaks for. */
export interface StubResolverOptions {
  server: { host: string; port: number };
  /** The designed address of the client this resolver belongs to. */
  clientAddress?: string;
  /** Clock in ms (tests move it). Default `Date.now`. */
  now?: () => number;
  /** Wait per UDP try, ms. Default 1000. */
  timeoutMs?: number;
  /** UDP tries before giving up. Default 2. */
  attempts?: number;
  /** The address the UDP socket binds (default the server's, loopback): a kernel lab's node binds its own, its resolver being at base + 2. */
  bindAddress?: string;
}

interface CacheEntry {
  answer: Omit<StubAnswer, 'ttl' | 'fromCache'>;
  expiresAt: number;
}

/** Thrown when the server does not answer or answers nonsense. */
export class DnsLookupError extends Error {
  constructor(message: string, readonly code: 'ETIMEOUT' | 'EBADRESP') {
    super(message);
    this.name = 'DnsLookupError';
  }
}

/** A caching stub resolver. */
export class StubResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<StubAnswer>>();
  private readonly now: () => number;
  /** Queries sent to the server (cache misses), for tests and metrics. */
  queries = 0;

  constructor(private readonly options: StubResolverOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves `name`, from the cache while its TTL lasts. Concurrent lookups of one name share one query. */
  async lookup(rawName: string, type: 'A' | 'AAAA' = 'A'): Promise<StubAnswer> {
    const name = normalizeDomainName(rawName);
    const key = `${name}|${type}`;
    const cached = this.cache.get(key);
    const now = this.now();
    if (cached && cached.expiresAt > now) return { ...cached.answer, ttl: Math.ceil((cached.expiresAt - now) / 1000), fromCache: true };
    const running = this.inFlight.get(key);
    if (running) return running;
    const query = this.resolve(name, type).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, query);
    return query;
  }

  /** Forgets every cached answer. */
  clear(): void {
    this.cache.clear();
  }

  private async resolve(name: string, type: 'A' | 'AAAA'): Promise<StubAnswer> {
    this.queries++;
    const id = Math.floor(Math.random() * 65_536);
    const query = this.encodeQuery(id, name, type);
    let response = await this.udp(query, id, name);
    if (response.flag_tc) response = await this.tcp(query, id, name);
    const answer = interpret(response, name, type);
    const ttl = cacheTtl(response);
    if (ttl > 0) this.cache.set(`${name}|${type}`, { answer, expiresAt: this.now() + ttl * 1000 });
    return { ...answer, ttl, fromCache: false };
  }

  private encodeQuery(id: number, name: string, type: 'A' | 'AAAA'): Buffer {
    const address = this.options.clientAddress;
    const options = address === undefined ? [] : [{ code: 'CLIENT_SUBNET' as const, ip: address, sourcePrefixLength: address.includes(':') ? 128 : 32, scopePrefixLength: 0 }];
    return dnsPacket.encode({
      type: 'query',
      id,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: SERVER_UDP_PAYLOAD, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: options as never }],
    });
  }

  private udp(query: Buffer, id: number, name: string): Promise<DecodedPacket> {
    const { host, port } = this.options.server;
    const timeoutMs = this.options.timeoutMs ?? 1000;
    const attempts = this.options.attempts ?? 2;
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      let tries = 0;
      let timer: NodeJS.Timeout | undefined;
      const finish = (error: Error | undefined, packet?: DecodedPacket): void => {
        clearTimeout(timer);
        socket.close();
        if (error) reject(error);
        else resolve(packet as DecodedPacket);
      };
      const send = (): void => {
        if (tries++ >= attempts) {
          finish(new DnsLookupError(`no answer from the lab's DNS (${host}:${port}) for ${name} after ${attempts} tries`, 'ETIMEOUT'));
          return;
        }
        socket.send(query, port, host, () => undefined);
        timer = setTimeout(send, timeoutMs);
      };
      socket.on('message', (message) => {
        const packet = matching(message, id, name);
        if (packet) finish(undefined, packet); // anything else (a stray or spoofed packet) is ignored
      });
      socket.on('error', (error) => finish(error));
      // Bound to loopback, not the wildcard address: only the lab's server can answer it.
      socket.bind(0, this.options.bindAddress ?? host, send);
    });
  }

  private tcp(query: Buffer, id: number, name: string): Promise<DecodedPacket> {
    const { host, port } = this.options.server;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      let buffer: Buffer = Buffer.alloc(0);
      const timer = setTimeout(() => socket.destroy(new DnsLookupError(`no TCP answer from the lab's DNS for ${name}`, 'ETIMEOUT')), (this.options.timeoutMs ?? 1000) * 2);
      const framed = Buffer.alloc(2 + query.length);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      socket.on('connect', () => socket.write(framed));
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (buffer.length < 2 || buffer.length < 2 + buffer.readUInt16BE(0)) return;
        clearTimeout(timer);
        const packet = matching(buffer.subarray(2, 2 + buffer.readUInt16BE(0)), id, name);
        socket.destroy();
        if (packet) resolve(packet);
        else reject(new DnsLookupError(`the lab's DNS sent a TCP answer that does not match the question for ${name}`, 'EBADRESP'));
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }
}

/** The decoded response when it answers our query (same id and question), else undefined. */
function matching(message: Buffer, id: number, name: string): DecodedPacket | undefined {
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  const question = packet.questions?.[0];
  if (!packet.flag_qr || packet.id !== id || !question || normalizeDomainName(question.name) !== name) return undefined;
  return packet;
}

function rcodeOf(packet: DecodedPacket): string {
  return (packet as DecodedPacket & { rcode?: string }).rcode ?? 'NOERROR';
}

/** Addresses of the asked type, following the CNAME chain in the answer section. */
function interpret(packet: DecodedPacket, name: string, type: 'A' | 'AAAA'): Omit<StubAnswer, 'ttl' | 'fromCache'> {
  const answers = packet.answers ?? [];
  const cnames: string[] = [];
  let owner = name;
  for (let hop = 0; hop < 16; hop++) {
    const cname = answers.find((a) => a.type === 'CNAME' && normalizeDomainName(a.name) === owner);
    if (!cname) break;
    owner = normalizeDomainName(String((cname as { data?: unknown }).data));
    cnames.push(owner);
  }
  const addresses = answers.filter((a) => a.type === type && normalizeDomainName(a.name) === owner).map((a) => String((a as { data?: unknown }).data));
  return { name, type, addresses, rcode: rcodeOf(packet), cnames };
}

/** Seconds to cache: the smallest TTL in the answer, or the SOA's negative TTL for a negative answer; 0 for failures. */
function cacheTtl(packet: DecodedPacket): number {
  const rcode = rcodeOf(packet);
  const answers = (packet.answers ?? []).filter((a): a is Answer & { ttl?: number } => a.type !== 'OPT');
  if (rcode === 'NOERROR' && answers.length > 0) return Math.min(...answers.map((a) => a.ttl ?? 0));
  if (rcode === 'NOERROR' || rcode === 'NXDOMAIN') {
    const soa = (packet.authorities ?? []).find((a) => a.type === 'SOA') as { ttl?: number; data?: { minimum?: number } } | undefined;
    return soa ? Math.min(soa.ttl ?? 0, soa.data?.minimum ?? 0) : 0;
  }
  return 0;
}
