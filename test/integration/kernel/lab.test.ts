import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type TopolabService } from '../../../core/api/service.js';
import { sendOne } from '../../../core/runtime/load/index.js';
import { runningLabOf } from '../../../core/runtime/kernel/exec.js';
import { isAlive } from '../../../core/runtime/kernel/registry.js';
import { acceptsConnectionsAt } from '../../support/net.js';
import { curlFrom, design, inNode, kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel lab tests');
const topology = design('examples/two-tier-web.topolab.json');

describe.skipIf(!supported)('the two-tier example as a kernel lab', () => {
  let service: TopolabService;
  let endpoints: { id: string; address: string; url: string; publicAddress?: string }[];
  let lbPublic: string;

  beforeAll(async () => {
    service = createService();
    ({ endpoints } = await service.call('lab.start', { topology, mode: 'netns' }));
    lbPublic = endpoints.find((e) => e.id === 'web-lb')?.publicAddress as string;
  }, 60_000);

  afterAll(async () => {
    await service?.close();
  });

  it('publishes every service at a 127.0.0.1 URL and the internet-facing balancer at a public address from 198.18.0.0/15', () => {
    expect(endpoints.map((e) => e.id).sort()).toEqual(['app-a', 'app-b', 'web-lb']);
    for (const e of endpoints) expect(e.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lbPublic).toMatch(/^198\.1[89]\.\d+\.\d+$/);
    expect(endpoints.filter((e) => e.publicAddress !== undefined).map((e) => e.id)).toEqual(['web-lb']);
  });

  it('runs each service at its designed address in its own namespace: the backend sees the balancer connect from 10.0.0.10', async () => {
    const lb = endpoints.find((e) => e.id === 'web-lb')?.url as string;
    const reply = await sendOne({ url: lb });
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as { node: string; address: string; remoteAddress: string };
    expect(['app-a', 'app-b']).toContain(body.node);
    expect(body.address).toBe(body.node === 'app-a' ? '10.0.10.10:8080' : '10.0.11.10:8080');
    expect(body.remoteAddress).toBe('10.0.0.10');
  });

  it("sets each namespace's ephemeral port range as trace assumes: 1024-65535 for the balancer, 32768-60999 for servers", async () => {
    expect((await inNode(topology, 'web-lb', 'cat', '/proc/sys/net/ipv4/ip_local_port_range')).out.split(/\s+/).filter(Boolean)).toEqual(['1024', '65535']);
    expect((await inNode(topology, 'app-a', 'cat', '/proc/sys/net/ipv4/ip_local_port_range')).out.split(/\s+/).filter(Boolean)).toEqual(['32768', '60999']);
  });

  it('lets the internet client reach the balancer at its public address, translated 1:1 by the internet gateway', async () => {
    const reply = await curlFrom(topology, 'visitor', `http://${lbPublic}/`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ headers: { 'x-forwarded-for': '203.0.113.10', host: lbPublic } });
    // The private address is not on the internet.
    expect((await curlFrom(topology, 'visitor', 'http://10.0.0.10/', 1)).status).toBe(0);
  });

  it('sends a private subnet out through the NAT gateway, which the internet sees as its public address', async () => {
    // A one-shot listener on the internet client; app-a connects to it from its private subnet.
    const seen = inNode(topology, 'visitor', 'node', '-e', "require('net').createServer((s)=>{console.log(s.remoteAddress);s.end();process.exit(0)}).listen(9000,'203.0.113.10')");
    let connected = false;
    for (let i = 0; i < 50 && !connected; i++) connected = (await inNode(topology, 'app-a', 'curl', '-s', '-m', '1', 'http://203.0.113.10:9000/')).code !== 7;
    const source = (await seen).out.trim();
    expect(source).toMatch(/^198\.1[89]\.\d+\.\d+$/);
    expect(source).not.toBe(lbPublic);
  });

  it('sends load from the client\'s own namespace: every request through the internet gateway and the balancer', async () => {
    const result = await service.call('lab.load', { from: 'visitor', to: 'web-lb', requests: 40, concurrency: 4 });
    expect(result.status).toEqual({ '200': 40 });
    expect(result.byServer).toEqual({ 'app-a': 20, 'app-b': 20 });
    const one = await service.call('lab.request', { from: 'visitor', to: 'web-lb', path: '/who' });
    expect(JSON.parse(one.body)).toMatchObject({ path: '/who', headers: { 'x-forwarded-for': '203.0.113.10' } });
  });

  it('drops and restores a route in the kernel: the internet loses the balancer and gets it back', async () => {
    await service.call('lab.inject', { nodeId: 'rt-public', action: 'drop-route', route: '0.0.0.0/0' });
    expect((await curlFrom(topology, 'visitor', `http://${lbPublic}/`, 1)).status).toBe(0);
    await service.call('lab.inject', { nodeId: 'rt-public', action: 'restore-route', route: '0.0.0.0/0' });
    expect((await curlFrom(topology, 'visitor', `http://${lbPublic}/`)).status).toBe(200);
  });

  it('takes a link down and up', async () => {
    const reply = await service.call('lab.inject', { nodeId: 'app-a', action: 'link-down' });
    expect(reply.message).toMatch(/^link of app-a down \(r\d+\/p\d+, n\d+\/eth0\)$/);
    expect((await curlFrom(topology, 'web-lb', 'http://10.0.10.10:8080/', 1)).status).toBe(0);
    await service.call('lab.inject', { nodeId: 'app-a', action: 'link-up' });
    expect((await curlFrom(topology, 'web-lb', 'http://10.0.10.10:8080/')).status).toBe(200);
  });

  it('limits a link with a token bucket and lifts the limit', async () => {
    const speed = async (): Promise<number> => Number((await inNode(topology, 'web-lb', 'curl', '-s', '-m', '10', '-o', '/dev/null', '-w', '%{speed_download}', 'http://10.0.10.10:8080/static/big?bytes=1048576')).out);
    await service.call('lab.inject', { nodeId: 'app-a', action: 'rate-limit', value: 4 });
    const limited = await speed();
    await service.call('lab.inject', { nodeId: 'app-a', action: 'rate-unlimit' });
    const free = await speed();
    // 4 Mbit/s is 500 kB/s; the bucket's first burst lets a little more through.
    expect(limited).toBeLessThan(700_000);
    expect(limited).toBeGreaterThan(300_000);
    expect(free).toBeGreaterThan(limited * 3);
  });

  it('stops and starts a node: its designed address refuses connections, then serves again', async () => {
    await service.call('lab.inject', { nodeId: 'app-b', action: 'stop' });
    expect((await inNode(topology, 'web-lb', 'curl', '-s', '-m', '1', 'http://10.0.11.10:8080/')).code).toBe(7);
    await service.call('lab.inject', { nodeId: 'app-b', action: 'start' });
    expect((await curlFrom(topology, 'web-lb', 'http://10.0.11.10:8080/')).status).toBe(200);
  });

  it("shows a node whose namespace process died as crashed, and a start fault brings it back", async () => {
    const ns = runningLabOf(topology)?.namespaces['app-b'] as string;
    // The host is the child of the nsenter that entered app-b's namespace for this process.
    const nsenter = readdirSync('/proc').find((pid) => /^\d+$/.test(pid) && parentOf(pid) === process.pid && cmdline(pid).includes(`/run/netns/${ns}\0`));
    const host = Number(readFileSync(`/proc/${nsenter}/task/${nsenter}/children`, 'utf8').trim());
    process.kill(host, 'SIGKILL');
    await expect.poll(async () => (await service.call('lab.status', {})).nodes.find((n) => n.id === 'app-b')?.state, { timeout: 10_000 }).toBe('crashed');
    await service.call('lab.inject', { nodeId: 'app-b', action: 'start' });
    expect((await curlFrom(topology, 'web-lb', 'http://10.0.11.10:8080/')).status).toBe(200);
  });

  it('refuses a link fault in the loopback lab, and an unknown link in the kernel lab', async () => {
    await expect(service.call('lab.inject', { nodeId: 'rt-public', action: 'link-down' })).rejects.toThrow(/"rt-public" has no link in the lab/);
    const loopback = createService();
    try {
      await loopback.call('lab.start', { topology });
      await expect(loopback.call('lab.inject', { nodeId: 'app-a', action: 'link-down' })).rejects.toThrow(/needs the kernel lab/);
    } finally {
      await loopback.close();
    }
  });

  it('removes every process, namespace and record on stop', async () => {
    const record = runningLabOf(topology);
    expect(record).toBeDefined();
    const urls = endpoints.map((e) => e.url);
    await service.call('lab.stop', {});
    expect(isAlive(record?.holderPid as number, record?.holderStart as string)).toBe(false);
    expect(runningLabOf(topology)).toBeUndefined();
    for (const url of urls) expect(await acceptsConnectionsAt(url)).toBe(false);
    expect(existsSync(`/proc/${record?.unsharePid}`)).toBe(false);
  });
});

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
