import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { KernelLab } from '../../../core/runtime/kernel/kernel-lab.js';
import { curlFrom, design, inNode, kernelLabOrSkip } from './helpers.js';

const supported = await kernelLabOrSkip('kernel lab isolation test');
const isRoot = process.getuid?.() === 0;
if (supported && !isRoot) console.log('kernel lab isolation test: the nftables ruleset is compared only as root (listing it needs CAP_NET_ADMIN)');

/** The host's network as `ip` and `nft` show it: interfaces, addresses, routes, rules, namespaces, the nftables ruleset. */
function hostNetwork(): Record<string, string> {
  const run = (command: string, ...args: string[]): string => {
    try {
      return execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
    } catch (error) {
      return `failed: ${(error as Error).message.split('\n')[0]}`;
    }
  };
  return {
    links: run('ip', '-br', 'link'),
    addresses: run('ip', '-br', 'addr'),
    routes: run('ip', 'route', 'show', 'table', 'all'),
    // Router-advertised IPv6 routes count their lifetime down; the routes themselves must not change.
    routes6: run('ip', '-6', 'route', 'show', 'table', 'all').replace(/ expires \d+sec/g, ''),
    rules: run('ip', 'rule') + run('ip', '-6', 'rule'),
    namespaces: run('ip', 'netns', 'list'),
    ...(isRoot ? { nftables: run('nft', 'list', 'ruleset') } : {}),
  };
}

/** The host's own address toward the outside, if it has one. */
function hostAddress(): string | undefined {
  try {
    const route = JSON.parse(execFileSync('ip', ['-j', 'route', 'get', '1.1.1.1'], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } })) as { prefsrc?: string }[];
    return route[0]?.prefsrc;
  } catch {
    return undefined;
  }
}

describe.skipIf(!supported)('nothing of the kernel lab touches the host network', () => {
  it('leaves the host interfaces, routes, rules and nftables ruleset as they were, before, during and after; requests outside the design fail inside the lab', { timeout: 120_000 }, async () => {
    const topology = design('test/fixtures/kernel/three-vpcs.topolab.json');
    const before = hostNetwork();
    // The snapshot is real: the host's loopback and its routes are in it.
    expect(before.links).toMatch(/^lo\s/m);
    expect(before.routes).toMatch(/\blocal 127\.0\.0\.1\b/);
    // A bystander on the host's loopback: nothing in the lab may ever reach it.
    let bystanderHits = 0;
    const bystander = net.createServer((socket) => {
      bystanderHits += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
    const port = (bystander.address() as net.AddressInfo).port;
    const lab = new KernelLab(topology);
    try {
      await lab.start();
      expect(hostNetwork()).toEqual(before);

      // The internet of the lab is the lab's own: anything outside the design is unreachable at once.
      const outside = await inNode(topology, 'a-web', 'curl', '-s', '-m', '3', '-o', '/dev/null', '-w', '%{time_total}', 'http://1.1.1.1/');
      expect(outside.code).toBe(7);
      expect(Number(outside.out)).toBeLessThan(1);
      const host = hostAddress();
      if (host) expect((await curlFrom(topology, 'surfer', `http://${host}:${port}/`, 1)).status).toBe(0);
      // 127.0.0.1 inside a namespace is that namespace's own loopback.
      expect((await inNode(topology, 'a-web', 'curl', '-s', '-m', '1', `http://127.0.0.1:${port}/`)).code).toBe(7);
      // No name service: the host's resolver is not configured inside the lab.
      expect((await inNode(topology, 'surfer', 'getent', 'hosts', 'example.com')).code).not.toBe(0);
      expect(bystanderHits).toBe(0);
    } finally {
      await lab.stop();
      await new Promise((resolve) => bystander.close(resolve));
    }
    expect(hostNetwork()).toEqual(before);
  });
});
