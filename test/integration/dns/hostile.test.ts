import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { DnsService, MAX_QUERY_BYTES } from '../../../core/runtime/dns/index.js';
import { waitUntil } from '../../support/wait.js';
import { ask, dataOf, decode, query, seeded, tcpExchange, udpExchange } from './client.js';
import { shopZone } from './fixtures.js';

let service: DnsService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

async function start(limits = {}): Promise<number> {
  service = new DnsService({ zones: [shopZone()], limits });
  return (await service.start()).port;
}

const dropped = (): number => service?.metrics().server.dropped ?? 0;

/** A query for `www.shop.example` whose name is replaced by a compression pointer to itself. */
function selfPointer(): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  return Buffer.concat([header, Buffer.from([0xc0, 12, 0x00, 0x01, 0x00, 0x01])]);
}

/** Two pointers that point at each other (a forward pointer, then one back). */
function pointerLoop(): Buffer {
  const header = Buffer.from([0x12, 0x35, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
  return Buffer.concat([header, Buffer.from([0x03, 0x77, 0x77, 0x77, 0xc0, 18, 0xc0, 12, 0x00, 0x01, 0x00, 0x01])]);
}

function framed(message: Buffer, length = message.length): Buffer {
  const out = Buffer.alloc(2 + message.length);
  out.writeUInt16BE(length, 0);
  message.copy(out, 2);
  return out;
}

describe('malformed DNS messages', () => {
  it.each([
    ['a truncated question', query('www.shop.example').subarray(0, 20), 0x1092],
    ['a compression pointer to itself', selfPointer(), 0x1234],
    ['a compression loop', pointerLoop(), 0x1235],
    ['bytes after the question', Buffer.concat([query('www.shop.example'), Buffer.from([1, 2, 3])]), 4242],
    ['two questions', dnsPacket.encode({ type: 'query', id: 7, questions: [{ name: 'a.shop.example', type: 'A' }, { name: 'b.shop.example', type: 'A' }] }), 7],
    ['no question', dnsPacket.encode({ type: 'query', id: 8, questions: [] }), 8],
    ['a question count past the end', Buffer.from([0, 9, 1, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0]), 9],
  ])('answers %s with FORMERR and keeps serving', async (_what, message, id) => {
    const port = await start();
    const reply = decode(await udpExchange(port, message));
    expect(reply.rcode).toBe('FORMERR');
    expect(reply.id).toBe(id);
    expect(dataOf(await ask(port, 'www.shop.example'))).toHaveLength(2);
  });

  it('answers an unknown opcode with NOTIMP', async () => {
    const port = await start();
    const message = query('www.shop.example');
    message.writeUInt16BE(message.readUInt16BE(2) | (2 << 11), 2); // STATUS
    expect(decode(await udpExchange(port, message)).rcode).toBe('NOTIMP');
  });

  it.each([
    ['garbage shorter than a header', Buffer.from('hello')],
    ['an oversized datagram', Buffer.alloc(MAX_QUERY_BYTES + 1000, 0x41)],
    ['a response instead of a query', dnsPacket.encode({ type: 'response', id: 5, questions: [{ name: 'www.shop.example', type: 'A' }] })],
    ['an empty datagram', Buffer.alloc(0)],
  ])('drops %s without answering, and keeps serving', async (_what, message) => {
    const port = await start();
    const before = dropped();
    // Not waiting for silence: the counter says the server saw and dropped it.
    void udpExchange(port, message, 200);
    await waitUntil(() => dropped() === before + 1, 'the message to be dropped');
    expect(dataOf(await ask(port, 'www.shop.example'))).toHaveLength(2);
  });

  it('closes a TCP connection announcing an oversized or undersized message, and keeps serving', async () => {
    const port = await start();
    expect(await tcpExchange(port, Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.alloc(100, 0x41)]))).toBe('closed');
    expect(await tcpExchange(port, Buffer.from([0x00, 0x03, 1, 2, 3]))).toBe('closed');
    const reply = await tcpExchange(port, framed(query('www.shop.example')));
    expect(Buffer.isBuffer(reply) && dataOf(decode(reply))).toHaveLength(2);
  });

  it('answers pipelined TCP queries in order on one connection, FORMERR for garbage among them', async () => {
    const port = await start();
    const garbage = Buffer.concat([Buffer.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.alloc(8, 0xc0)]);
    const replies = await tcpReplies(port, Buffer.concat([framed(garbage), framed(query('www.shop.example', 'A', { id: 77 })), framed(query('nope.shop.example', 'A', { id: 78 }))]), 3);
    expect(replies.map((r) => [r.id, r.rcode])).toEqual([
      [1, 'FORMERR'],
      [77, 'NOERROR'],
      [78, 'NXDOMAIN'],
    ]);
  });

  it('drops queries over the rate bound rather than falling over', async () => {
    const port = await start({ queriesPerSecond: 5 });
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => udpExchange(port, query('www.shop.example', 'A', { id: i }), 500)));
    expect(replies.filter(Boolean).length).toBeLessThanOrEqual(6);
    expect(dropped()).toBeGreaterThanOrEqual(14);
  });

  it('survives 3,000 seeded random mutations of valid queries and answers a valid query after', async () => {
    const port = await start({ queriesPerSecond: 1_000_000 });
    const random = seeded(7);
    const seeds = [query('www.shop.example'), query('api.shop.example', 'AAAA', { edns: true }), query('near.shop.example', 'A', { subnet: '10.0.1.5' }), query('shop.example', 'TXT')];
    const socket = dgram.createSocket('udp4');
    const replies: Buffer[] = [];
    socket.on('message', (reply) => replies.push(reply));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      for (let batch = 0; batch < 30; batch++) {
        const seen = service?.metrics().server.udp ?? 0;
        for (let i = 0; i < 100; i++) {
          let mutated: Buffer = Buffer.from(seeds[(batch * 100 + i) % seeds.length] as Buffer);
          const mutations = 1 + Math.floor(random() * 4);
          for (let m = 0; m < mutations; m++) mutated = mutate(mutated, random);
          socket.send(mutated, port, '127.0.0.1');
        }
        // Batches of 100 keep the loopback socket buffer from dropping datagrams.
        await waitUntil(() => (service?.metrics().server.udp ?? 0) >= seen + 100, `batch ${batch} to reach the server`);
      }
      await waitUntil(() => {
        const c = service?.metrics().server;
        return c !== undefined && replies.length === c.udp - c.dropped;
      }, 'every reply to arrive');
    } finally {
      socket.close();
    }
    // Whatever came back is a well-formed DNS response.
    for (const reply of replies) expect(dnsPacket.decode(reply).type).toBe('response');
    const counts = service?.metrics().server;
    expect(counts?.udp).toBe(3000);
    expect(replies.length).toBeGreaterThan(1000);
    expect((counts?.formerr ?? 0) + (counts?.dropped ?? 0)).toBeGreaterThan(100);
    expect(dataOf(await ask(port, 'www.shop.example'))).toHaveLength(2);
  });
});

/** Sends raw bytes on one TCP connection and decodes `count` framed replies. */
function tcpReplies(port: number, bytes: Buffer, count: number): Promise<(ReturnType<typeof decode>)[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffer: Buffer = Buffer.alloc(0);
    const out: ReturnType<typeof decode>[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${out.length} of ${count} TCP replies`));
    }, 5000);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        out.push(decode(buffer.subarray(2, 2 + buffer.readUInt16BE(0))));
        buffer = buffer.subarray(2 + buffer.readUInt16BE(0));
      }
      if (out.length >= count) {
        clearTimeout(timer);
        socket.destroy();
        resolve(out);
      }
    });
    socket.on('error', reject);
  });
}

/** One random mutation: flip a byte, truncate, duplicate a slice, or insert random bytes. */
function mutate(message: Buffer, random: () => number): Buffer {
  const at = Math.floor(random() * Math.max(1, message.length));
  switch (Math.floor(random() * 5)) {
    case 0: {
      const out = Buffer.from(message);
      if (out.length > 0) out[at] = Math.floor(random() * 256);
      return out;
    }
    case 1:
      return message.subarray(0, at);
    case 2:
      return Buffer.concat([message.subarray(0, at), message.subarray(at - Math.min(at, 8), at), message.subarray(at)]);
    case 3:
      return Buffer.concat([message.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256))), message.subarray(at)]);
    default: {
      // A compression pointer planted anywhere.
      const out = Buffer.from(message);
      if (out.length > at + 1) {
        out[at] = 0xc0;
        out[at + 1] = Math.floor(random() * out.length);
      }
      return out;
    }
  }
}
