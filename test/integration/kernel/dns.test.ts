import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelLab } from '../../../core/runtime/kernel/kernel-lab.js';
import { design, inNode, kernelLabOrSkip } from './helpers.js';

/**
 * The lab's DNS in the kernel lab (fixture "dns"): each VPC's resolver answers at the VPC's
 * base + 2 (10.0.0.2 here), as Route 53 Resolver does, for real `dig` queries over UDP and
 * TCP sent from inside the nodes' namespaces; it answers the VPC's private zone, follows
 * the health checks the lab runs, and survives malformed packets.
 */

const supported = await kernelLabOrSkip('kernel DNS tests');
const topology = design('test/fixtures/lab/dns.topolab.json');

/** `dig +short` from a node's namespace: the answered records, one per line. */
async function dig(node: string, ...args: string[]): Promise<{ code: number; records: string[] }> {
  const run = await inNode(topology, node, 'dig', '@10.0.0.2', '+time=2', '+tries=1', '+short', ...args);
  return { code: run.code, records: run.out.split('\n').filter(Boolean) };
}

describe.skipIf(!supported)('DNS at the VPC resolver address in the kernel lab', () => {
  let lab: KernelLab;

  beforeAll(async () => {
    lab = new KernelLab(topology, { metricsIntervalMs: 100 });
    await lab.start();
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
  });

  it('puts the resolver at base + 2 in the plan, and answers dig over UDP and TCP from a node, rotating round robin', async () => {
    expect(lab.plan()?.resolvers).toEqual({ vpc: '10.0.0.2' });
    const first = await dig('web3', 'www.shop.example');
    expect(first.code).toBe(0);
    expect([...first.records].sort()).toEqual(['10.0.1.10', '10.0.1.11']);
    const second = await dig('web3', 'www.shop.example');
    expect(second.records).toEqual([...first.records].reverse());
    const tcp = await dig('web3', '+tcp', 'shop-api.shop.example');
    expect(tcp.code).toBe(0);
    expect(tcp.records[0]).toBe('www.shop.example.');
    expect(tcp.records.slice(1).sort()).toEqual(['10.0.1.10', '10.0.1.11']);
  });

  it("answers the VPC's private zone to its nodes; the internet client cannot reach the resolver at all", async () => {
    expect((await dig('web1', 'db.internal.shop')).records).toEqual(['10.0.1.99']);
    const outside = await dig('user', 'www.shop.example');
    // dig's "no servers could be reached": the address is the VPC's, the internet has no route to it.
    expect(outside.code).toBe(9);
  });

  it('the forward proxy resolves a name through its VPC resolver and connects to the answer over the kernel', async () => {
    const proxy = lab.endpoints().find((e) => e.id === 'egress')?.address as string;
    const run = await inNode(topology, 'web3', 'curl', '-s', '-m', '5', '-x', `http://${proxy}`, 'http://www.shop.example/');
    expect(run.code).toBe(0);
    expect(['web1', 'web2']).toContain((JSON.parse(run.out) as { node: string }).node);
  });

  it('answers as the lab runs the health checks: failover moves to the secondary once the primary is stopped', { timeout: 30_000 }, async () => {
    // The checks are 100 ms apart with a 100 ms timeout: on a busy machine one may miss, so wait for the primary's answer.
    await expect.poll(async () => (await dig('web3', 'app.shop.example')).records, { timeout: 10_000, interval: 200 }).toEqual(['10.0.1.10']);
    await lab.inject({ nodeId: 'web1', action: 'stop' });
    await expect.poll(async () => (await dig('web3', 'app.shop.example')).records, { timeout: 10_000, interval: 200 }).toEqual(['10.0.1.11']);
    await lab.inject({ nodeId: 'web1', action: 'start' });
    await expect.poll(async () => (await dig('web3', 'app.shop.example')).records, { timeout: 10_000, interval: 200 }).toEqual(['10.0.1.10']);
  });

  it('answers malformed packets with FORMERR or drops them, and keeps answering', { timeout: 30_000 }, async () => {
    // Sent from inside web3's namespace with Node's own sockets: each packet's reply rcode, or "none".
    const script = `
      const dgram = require('node:dgram'); const net = require('node:net');
      const header = (qd) => Buffer.from([0x12, 0x34, 0x01, 0x00, 0, qd, 0, 0, 0, 0, 0, 0]);
      const packets = {
        truncated: Buffer.from([0x12, 0x34, 0x01]),
        loop: Buffer.concat([header(1), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]),
        halfQuestion: Buffer.concat([header(1), Buffer.from([3, 0x77, 0x77])]),
        twoQuestions: Buffer.concat([header(2), Buffer.from([0, 0, 1, 0, 1])]),
        oversized: Buffer.concat([header(1), Buffer.alloc(5000, 0x41)]),
      };
      const ask = (bytes) => new Promise((resolve) => {
        const s = dgram.createSocket('udp4');
        const t = setTimeout(() => { s.close(); resolve('none'); }, 700);
        s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m.length >= 4 ? m[3] & 15 : 'short'); });
        s.send(bytes, 53, '10.0.0.2');
      });
      const tcpHuge = () => new Promise((resolve) => {
        const c = net.connect(53, '10.0.0.2', () => c.write(Buffer.from([0xff, 0xff, 1, 2, 3])));
        c.on('close', () => resolve('closed')); c.on('error', () => undefined);
        setTimeout(() => { c.destroy(); resolve('open'); }, 3000);
      });
      (async () => {
        const out = {};
        for (const [name, bytes] of Object.entries(packets)) out[name] = await ask(bytes);
        out.tcpHuge = await tcpHuge();
        console.log(JSON.stringify(out));
      })();
    `;
    const run = await inNode(topology, 'web3', process.execPath, '-e', script);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ truncated: 'none', loop: 1, halfQuestion: 1, twoQuestions: 1, oversized: 'none', tcpHuge: 'closed' });
    expect((await dig('web3', 'www.shop.example')).records).toHaveLength(2);
    expect(lab.status().state).toBe('running');
  });
});
