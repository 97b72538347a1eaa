import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DnsService, type DnsHealthChange } from '../../../core/runtime/dns/index.js';
import { waitUntil } from '../../support/wait.js';
import { ask, dataOf, decode, dig, hasDig, query, seeded, tcpExchange } from './client.js';
import { healthServer, privateShopZone, shopZone } from './fixtures.js';

let service: DnsService | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await service?.stop();
  service = undefined;
  for (const close of closers.splice(0)) await close();
});

async function start(options: Partial<ConstructorParameters<typeof DnsService>[0]> = {}): Promise<number> {
  service = new DnsService({
    zones: [shopZone(), privateShopZone()],
    locate: (address) => (address.startsWith('10.0.') ? { vpcId: 'vpc-a', region: 'us-east-1' } : address.startsWith('10.1.') ? { vpcId: 'vpc-b', region: 'eu-west-1' } : address.startsWith('10.2.') ? { vpcId: 'vpc-c', region: 'us-east-1' } : undefined),
    ...options,
  });
  return (await service.start()).port;
}

/** One query over TCP with its length prefix. */
async function tcpFramed(port: number, message: Buffer): Promise<Buffer> {
  const framed = Buffer.alloc(2 + message.length);
  framed.writeUInt16BE(message.length, 0);
  message.copy(framed, 2);
  const reply = await tcpExchange(port, framed);
  if (!Buffer.isBuffer(reply)) throw new Error(`no TCP reply: ${reply}`);
  return reply;
}

describe('the lab DNS server over UDP', () => {
  it('rotates the values of a simple record on every query, authoritative, with the record TTL', async () => {
    const port = await start();
    const first = await ask(port, 'www.shop.example');
    const second = await ask(port, 'WWW.Shop.Example.');
    const third = await ask(port, 'www.shop.example');
    expect(dataOf(first)).toEqual(['10.0.1.10', '10.0.1.11']);
    expect(dataOf(second)).toEqual(['10.0.1.11', '10.0.1.10']);
    expect(dataOf(third)).toEqual(['10.0.1.10', '10.0.1.11']);
    expect(first.flag_aa).toBe(true);
    expect(first.flag_ra).toBe(false);
    expect(first.answers?.[0]).toMatchObject({ ttl: 60, class: 'IN' });
    const zone = service?.metrics().zones.find((z) => z.zoneId === 'zone');
    expect(zone?.queries).toBe(3);
    expect(zone?.answers['www.shop.example A']).toEqual({ '10.0.1.10': 3, '10.0.1.11': 3 });
  });

  it('picks weighted values by weight over 1,000 queries (3:1, weight 0 never while the others are healthy)', async () => {
    const port = await start({ random: seeded(20) });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const answers = dataOf(await ask(port, 'api.shop.example', 'A', { id: i }));
      expect(answers).toHaveLength(1);
      const [value] = answers as [string];
      counts[value] = (counts[value] ?? 0) + 1;
    }
    // Expected 750 / 250; a binomial sd of 13.7, so +-60 is over 4 sd.
    expect(counts['10.0.2.1']).toBeGreaterThan(690);
    expect(counts['10.0.2.1']).toBeLessThan(810);
    expect(counts['10.0.2.2']).toBeGreaterThan(190);
    expect(counts['10.0.2.3']).toBeUndefined();
    expect(service?.metrics().zones.find((z) => z.zoneId === 'zone')?.answers['api.shop.example A']).toEqual(counts);
  });

  it('answers NXDOMAIN with the SOA, NODATA with the SOA, and REFUSED outside the lab zones', async () => {
    const port = await start();
    const nx = await ask(port, 'nope.shop.example');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.answers).toEqual([]);
    expect(nx.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'shop.example', ttl: 900, data: { minimum: 86400, rname: 'hostmaster.shop.example' } });
    const nodata = await ask(port, 'www.shop.example', 'AAAA');
    expect(nodata.rcode).toBe('NOERROR');
    expect(nodata.answers).toEqual([]);
    expect(nodata.authorities?.[0]?.type).toBe('SOA');
    const ent = await ask(port, 'b.shop.example');
    expect(ent.rcode).toBe('NOERROR'); // an empty non-terminal exists
    const refused = await ask(port, 'www.example.org');
    expect(refused.rcode).toBe('REFUSED');
    expect(refused.flag_aa).toBe(false);
    const zone = service?.metrics().zones.find((z) => z.zoneId === 'zone');
    expect(zone).toMatchObject({ nxdomain: 1, nodata: 2 });
    expect(service?.metrics().server.refused).toBe(1);
  });

  it('chases CNAMEs inside the zone, stops at names outside it, and fails a loop', async () => {
    const port = await start();
    const chain = await ask(port, 'chain.shop.example');
    expect(dataOf(chain, 'CNAME')).toEqual(['alias.shop.example', 'www.shop.example']);
    expect(dataOf(chain)).toHaveLength(2);
    const ext = await ask(port, 'ext.shop.example');
    expect(ext.rcode).toBe('NOERROR');
    expect(dataOf(ext, 'CNAME')).toEqual(['www.example.org']);
    expect(dataOf(ext)).toEqual([]);
    const dangling = await ask(port, 'dangling.shop.example');
    expect(dangling.rcode).toBe('NXDOMAIN'); // RFC 6604: the rcode is the last name's
    expect(dataOf(dangling, 'CNAME')).toEqual(['gone.shop.example']);
    expect((await ask(port, 'loop1.shop.example')).rcode).toBe('SERVFAIL');
    const asked = await ask(port, 'alias.shop.example', 'CNAME');
    expect(dataOf(asked, 'CNAME')).toEqual(['www.shop.example']);
    expect(dataOf(asked)).toEqual([]);
  });

  it('answers a private zone only to clients of its VPC (split horizon), and latency by the client region', async () => {
    const port = await start();
    expect(dataOf(await ask(port, 'www.shop.example', 'A', { subnet: '10.0.1.5' }))).toEqual(['10.0.1.99']);
    expect(dataOf(await ask(port, 'www.shop.example', 'A', { subnet: '10.1.1.5' }))).toHaveLength(2);
    // The private zone has no `api`: NXDOMAIN, no fall-through to the public zone (as Route 53).
    expect((await ask(port, 'api.shop.example', 'A', { subnet: '10.0.1.5' })).rcode).toBe('NXDOMAIN');
    expect(dataOf(await ask(port, 'near.shop.example', 'A', { subnet: '10.1.2.2' }))).toEqual(['10.1.5.1']);
    expect(dataOf(await ask(port, 'near.shop.example', 'A', { subnet: '10.2.2.2' }))).toEqual(['10.0.5.1']);
    expect(dataOf(await ask(port, 'near.shop.example'))).toEqual(['10.0.5.1']); // unknown region: the first value
  });

  it('sets TC on a UDP answer too large for 512 bytes, and answers in full over TCP', async () => {
    const port = await start();
    const udp = await ask(port, 'big.shop.example');
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers).toEqual([]);
    // dns-packet does not compress names: 60 x 32 bytes is over our 1232-byte EDNS size too.
    const edns = await ask(port, 'big.shop.example', 'A', { edns: true, udpSize: 4096 });
    expect(edns.flag_tc).toBe(true);
    expect(edns.additionals?.find((a) => a.type === 'OPT')).toMatchObject({ udpPayloadSize: 1232 });
    const fits = await ask(port, 'www.shop.example', 'A', { edns: true, udpSize: 4096 });
    expect(fits.flag_tc).toBe(false);
    const tcp = decode(await tcpFramed(port, query('big.shop.example')));
    expect(tcp.flag_tc).toBe(false);
    expect(dataOf(tcp)).toHaveLength(60);
    expect(service?.metrics().server.truncated).toBe(2);
  });
});

describe('health checks change the answers', () => {
  it('failover answers the secondary once the primary stops, and the primary again when it is back', async () => {
    const primary = await healthServer();
    const secondary = await healthServer();
    closers.push(secondary.close);
    const ports: Record<string, number> = { '10.0.3.1': primary.port, '10.0.3.2': secondary.port };
    const changes: DnsHealthChange[] = [];
    const port = await start({ checkEndpoint: (v) => (ports[v.data] ? { host: '127.0.0.1', port: ports[v.data] as number } : undefined), onHealthChange: (c) => changes.push(c) });
    expect(dataOf(await ask(port, 'app.shop.example'))).toEqual(['10.0.3.1']);
    await primary.close();
    await waitUntil(() => changes.some((c) => c.value === '10.0.3.1' && !c.healthy), 'the primary to be seen unhealthy');
    expect(dataOf(await ask(port, 'app.shop.example'))).toEqual(['10.0.3.2']);
    const change = changes.find((c) => c.value === '10.0.3.1');
    expect(change).toMatchObject({ name: 'app.shop.example', type: 'A', answering: ['10.0.3.2'], answerChanged: true });
    expect(change?.reason).toMatch(/ECONNREFUSED/);
    const back = await healthServer(primary.port);
    closers.push(back.close);
    await waitUntil(() => changes.some((c) => c.value === '10.0.3.1' && c.healthy), 'the primary to be seen healthy again');
    expect(dataOf(await ask(port, 'app.shop.example'))).toEqual(['10.0.3.1']);
  });

  it('multivalue drops an unhealthy value and answers it again once it recovers', async () => {
    const servers = [await healthServer(), await healthServer(), await healthServer()];
    const ports: Record<string, number> = { '10.0.4.1': servers[0]!.port, '10.0.4.2': servers[1]!.port, '10.0.4.3': servers[2]!.port };
    closers.push(servers[0]!.close, servers[2]!.close);
    const changes: DnsHealthChange[] = [];
    const port = await start({ checkEndpoint: (v) => (ports[v.data] ? { host: '127.0.0.1', port: ports[v.data] as number } : undefined), onHealthChange: (c) => changes.push(c) });
    expect(dataOf(await ask(port, 'multi.shop.example')).sort()).toEqual(['10.0.4.1', '10.0.4.2', '10.0.4.3']);
    await servers[1]!.close();
    await waitUntil(() => changes.some((c) => c.value === '10.0.4.2' && !c.healthy), 'the second value to be seen unhealthy');
    for (let i = 0; i < 4; i++) expect(dataOf(await ask(port, 'multi.shop.example')).sort()).toEqual(['10.0.4.1', '10.0.4.3']);
    const back = await healthServer(servers[1]!.port);
    closers.push(back.close);
    await waitUntil(() => changes.some((c) => c.value === '10.0.4.2' && c.healthy), 'the second value to be seen healthy again');
    expect(dataOf(await ask(port, 'multi.shop.example')).sort()).toEqual(['10.0.4.1', '10.0.4.2', '10.0.4.3']);
  });

  it('a checked value no lab node listens on fails its checks; all unhealthy answers every value (fail open)', async () => {
    const changes: DnsHealthChange[] = [];
    const port = await start({ onHealthChange: (c) => changes.push(c) });
    await waitUntil(() => changes.filter((c) => c.name === 'multi.shop.example').length === 3, 'every multivalue value to fail');
    expect(changes[0]?.reason).toMatch(/no lab node listens on/);
    expect(dataOf(await ask(port, 'multi.shop.example')).sort()).toEqual(['10.0.4.1', '10.0.4.2', '10.0.4.3']);
    expect(dataOf(await ask(port, 'app.shop.example'))).toEqual(['10.0.3.1']); // both unhealthy: the primary
  });
});

describe('dig against the lab DNS server', () => {
  let digInstalled = false;
  beforeAll(async () => {
    digInstalled = await hasDig();
    if (!digInstalled) console.warn('dig is not installed (Debian bind9-dnsutils): the dig tests below are skipped');
  });

  it('answers dig, which retries a truncated answer over TCP by itself', async (ctx) => {
    if (!digInstalled) return ctx.skip();
    const port = await start();
    const www = await dig(port, ['www.shop.example', 'A']);
    expect(www).toMatch(/status: NOERROR/);
    expect(www).toMatch(/flags: qr aa rd;/);
    expect(www).toMatch(/www\.shop\.example\.\s+60\s+IN\s+A\s+10\.0\.1\.10/);
    const big = await dig(port, ['+noedns', 'big.shop.example', 'A']);
    expect(big).toMatch(/Truncated, retrying in TCP mode/);
    expect(big.match(/IN\s+A\s+10\.9\./g)).toHaveLength(60);
    const tcp = await dig(port, ['+tcp', 'api.shop.example', 'A']);
    expect(tcp).toMatch(/api\.shop\.example\.\s+60\s+IN\s+A\s+10\.0\.2\.[12]/);
    const nx = await dig(port, ['nope.shop.example']);
    expect(nx).toMatch(/status: NXDOMAIN/);
    expect(nx).toMatch(/shop\.example\.\s+900\s+IN\s+SOA\s+ns\.topolab\.invalid\. hostmaster\.shop\.example\. 1 7200 900 1209600 86400/);
    expect(await dig(port, ['example.com'])).toMatch(/status: REFUSED/);
    expect(await dig(port, ['+subnet=10.0.1.5/32', 'www.shop.example'])).toMatch(/IN\s+A\s+10\.0\.1\.99/);
    expect(await dig(port, ['+edns=1', '+noednsneg', 'www.shop.example'])).toMatch(/status: BADVERS/);
    expect(await dig(port, ['shop.example', 'TXT'])).toMatch(/IN\s+TXT\s+"v=spf1 -all"/);
  });
});
