import { afterEach, describe, expect, it } from 'vitest';
import { DnsLookupError, DnsService } from '../../../core/runtime/dns/index.js';
import { privateShopZone, shopZone } from './fixtures.js';

let service: DnsService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

async function start(): Promise<DnsService> {
  service = new DnsService({ zones: [shopZone(), privateShopZone()], locate: (a) => (a.startsWith('10.0.') ? { vpcId: 'vpc-a' } : undefined) });
  await service.start();
  return service;
}

describe('the stub resolver of lab clients', () => {
  it('caches an answer for its TTL, then asks again and follows the new order (TTL expiry moves traffic)', async () => {
    const dns = await start();
    let now = 1_000_000;
    const stub = dns.resolver(undefined, () => now);
    const first = await stub.lookup('www.shop.example');
    expect(first).toMatchObject({ addresses: ['10.0.1.10', '10.0.1.11'], ttl: 60, fromCache: false, rcode: 'NOERROR' });
    now += 59_000;
    const cached = await stub.lookup('www.shop.example');
    expect(cached).toMatchObject({ addresses: ['10.0.1.10', '10.0.1.11'], ttl: 1, fromCache: true });
    expect(stub.queries).toBe(1);
    now += 1_000; // the TTL has run out: the next lookup asks, and the server has rotated
    const fresh = await stub.lookup('www.shop.example');
    expect(fresh).toMatchObject({ addresses: ['10.0.1.11', '10.0.1.10'], fromCache: false });
    expect(stub.queries).toBe(2);
    expect(dns.metrics().zones.find((z) => z.zoneId === 'zone')?.queries).toBe(2);
  });

  it('shares one query among concurrent lookups of a name', async () => {
    const dns = await start();
    const stub = dns.resolver();
    const answers = await Promise.all(Array.from({ length: 20 }, () => stub.lookup('api.shop.example')));
    expect(new Set(answers.map((a) => a.addresses[0])).size).toBe(1);
    expect(stub.queries).toBe(1);
  });

  it('caches NXDOMAIN for the SOA negative TTL, follows CNAMEs, and retries a truncated answer over TCP', async () => {
    const dns = await start();
    const stub = dns.resolver();
    expect(await stub.lookup('nope.shop.example')).toMatchObject({ rcode: 'NXDOMAIN', addresses: [], ttl: 900 });
    expect((await stub.lookup('nope.shop.example')).fromCache).toBe(true);
    expect(await stub.lookup('chain.shop.example')).toMatchObject({ cnames: ['alias.shop.example', 'www.shop.example'], ttl: 60 });
    const big = await stub.lookup('big.shop.example');
    expect(big.addresses).toHaveLength(60);
    expect(dns.metrics().server.truncated).toBe(1);
    expect(dns.metrics().server.tcp).toBe(1);
    expect(await stub.lookup('www.example.org')).toMatchObject({ rcode: 'REFUSED', addresses: [], ttl: 0 });
  });

  it('speaks for its client: a client of the VPC sees the private zone', async () => {
    const dns = await start();
    expect((await dns.resolver('10.0.1.5').lookup('www.shop.example')).addresses).toEqual(['10.0.1.99']);
    expect((await dns.resolver('203.0.113.9').lookup('www.shop.example')).addresses).toHaveLength(2);
  });

  it('fails with ETIMEOUT when the server is gone, after its tries', async () => {
    const dns = await start();
    const stub = dns.resolver();
    await dns.stop();
    const error = await stub.lookup('www.shop.example').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnsLookupError);
    expect((error as DnsLookupError).code).toBe('ETIMEOUT');
  });
});
