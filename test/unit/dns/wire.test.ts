import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { parseQuery, safeParseQuery, DnsQueryError } from '../../../core/runtime/dns/index.js';

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const valid = dnsPacket.encode({
  type: 'query',
  id: 1,
  flags: dnsPacket.RECURSION_DESIRED,
  questions: [{ name: 'www.shop.example', type: 'A', class: 'IN' }],
  additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [{ code: 'CLIENT_SUBNET', ip: '10.0.1.5', sourcePrefixLength: 32, scopePrefixLength: 0 }] as never }],
});

describe('safeParseQuery', () => {
  it('reads the question, RD, EDNS size and client subnet', () => {
    expect(parseQuery(valid)).toEqual({ id: 1, recursionDesired: true, question: { name: 'www.shop.example', type: 'A', class: 'IN' }, edns: { udpPayloadSize: 1232, clientSubnet: { address: '10.0.1.5', prefix: 32 } } });
  });

  it('throws DnsQueryError from parseQuery for a bad message, with what to do', () => {
    expect(() => parseQuery(valid.subarray(0, 20))).toThrow(DnsQueryError);
    expect(safeParseQuery(Buffer.alloc(3))).toMatchObject({ ok: false, rejection: { action: 'drop' } });
  });

  it('refuses an ECS option whose address is longer than its prefix says (RFC 7871 §7.1)', () => {
    const bad = Buffer.from(valid);
    // The option's source prefix byte: make it 8 while 4 address bytes follow.
    const at = bad.indexOf(Buffer.from([0x00, 0x01, 32, 0]));
    bad[at + 2] = 8;
    expect(safeParseQuery(bad)).toMatchObject({ ok: false, rejection: { action: 'reply', rcode: 'FORMERR' } });
  });

  it('never throws on 5,000 seeded random mutations', () => {
    const random = seeded(99);
    let rejected = 0;
    for (let i = 0; i < 5_000; i++) {
      const message = Buffer.from(valid);
      const flips = 1 + Math.floor(random() * 6);
      for (let f = 0; f < flips; f++) message[Math.floor(random() * message.length)] = Math.floor(random() * 256);
      const cut = random() < 0.3 ? message.subarray(0, Math.floor(random() * message.length)) : message;
      const result = safeParseQuery(cut);
      if (!result.ok) rejected++;
    }
    expect(rejected).toBeGreaterThan(250);
  });
});
