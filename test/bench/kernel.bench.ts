/**
 * Kernel lab benchmark (issue 18): time to ready for a 50-node design in both lab modes,
 * and L7 requests/s through the built-in balancer in the kernel lab relative to the
 * loopback lab. The kernel lab is the compiled one (`npm run bench` builds first), as the
 * CLI and the app run it. Each case is measured in alternation (loopback, netns, ...) so
 * load from other processes on a shared machine hits both alike; medians are reported.
 *
 * Requests/s: wrk (1 thread, 50 connections) against the balancer of a two-backend design.
 * Loopback: at its 127.0.0.1 URL. Kernel lab: from a client namespace in the balancer's VPC
 * to its designed address (through the VPC router's policy routing), and from the host
 * through the 127.0.0.1 forwarder (host TCP -> Unix socket -> the balancer's namespace).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseTopology } from '../../core/model/load.js';
import type { Topology } from '../../core/model/types.js';
import { Lab } from '../../core/runtime/lab/lab.js';
import { createRealService } from '../../core/runtime/lab/services.js';
import type { BenchFigure, BenchModule } from './bench.js';
import { median } from './bench.js';
import { parseWrk } from './proxy.bench.js';

const RUNS = Number(process.env['KERNEL_BENCH_RUNS'] ?? '3');
const SECONDS = Number(process.env['KERNEL_BENCH_SECONDS'] ?? '5');
const DIST = new URL('../../dist/core/runtime/kernel/', import.meta.url);

/** What the bench needs of the compiled kernel lab. */
interface KernelModules {
  KernelLab: new (topology: Topology) => Lab;
  kernelLabSupport(): Promise<{ ok: true } | { ok: false; reason: string }>;
  runningLabOf(topology: Topology): { holderPid: number; namespaces: Record<string, string> } | undefined;
  enterArgs(holderPid: string, ns?: string): string[];
}

async function kernel(): Promise<KernelModules> {
  const [lab, support, exec, sandbox] = await Promise.all([
    import(new URL('kernel-lab.js', DIST).href),
    import(new URL('support.js', DIST).href),
    import(new URL('exec.js', DIST).href),
    import(new URL('sandbox.js', DIST).href),
  ]);
  return { KernelLab: lab.KernelLab, kernelLabSupport: support.kernelLabSupport, runningLabOf: exec.runningLabOf, enterArgs: sandbox.enterArgs } as KernelModules;
}

/** A design of exactly 50 nodes: one VPC, public and private subnets, a NAT gateway, an internet-facing balancer over 41 servers, a client. */
export function fiftyNodes(): Topology {
  const servers = Array.from({ length: 41 }, (_, i) => ({ id: `web${i + 1}`, kind: 'server', parent: 'app' }));
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      name: '50 nodes',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'igw', kind: 'internet-gateway', parent: 'vpc' },
        { id: 'pub', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' },
        { id: 'app', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
        { id: 'rt-pub', kind: 'route-table', parent: 'vpc', subnets: ['pub'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
        { id: 'rt-app', kind: 'route-table', parent: 'vpc', main: true, routes: [{ destination: '0.0.0.0/0', target: 'nat' }] },
        { id: 'nat', kind: 'nat-gateway', parent: 'pub' },
        { id: 'lb', kind: 'load-balancer', parent: 'pub', internetFacing: true },
        ...servers,
        { id: 'user', kind: 'client', ip: '203.0.113.10' },
      ],
      edges: servers.map((s) => ({ id: `e-${s.id}`, from: 'lb', to: s.id })),
    }),
  );
}

/** A balancer over two backends, and a client next to it in the same VPC (for wrk inside the kernel lab). */
function twoBackends(): Topology {
  return parseTopology(
    JSON.stringify({
      schema: 'topolab/1',
      name: 'balancer and two backends',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'front', kind: 'subnet', parent: 'vpc', cidr: '10.0.0.0/24' },
        { id: 'back', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
        { id: 'rt', kind: 'route-table', parent: 'vpc', main: true },
        { id: 'lb', kind: 'load-balancer', parent: 'front', ip: '10.0.0.10' },
        { id: 'tester', kind: 'client', parent: 'front', ip: '10.0.0.20' },
        { id: 'b1', kind: 'server', parent: 'back', ip: '10.0.1.10' },
        { id: 'b2', kind: 'server', parent: 'back', ip: '10.0.1.11' },
      ],
      edges: [
        { id: 'e1', from: 'lb', to: 'b1' },
        { id: 'e2', from: 'lb', to: 'b2' },
      ],
    }),
  );
}

/** CPU seconds used so far by this process and every child it has reaped (with theirs): fields 14-17 of /proc/self/stat. */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 (11-14 after the command name), in clock ticks (100 per second on Linux).
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** Time to ready of one start, and the CPU the start and stop took (the lab's process and all it started). */
async function timeToReady(make: () => Lab): Promise<{ ms: number; cpu: number }> {
  const lab = make();
  const cpu = cpuSeconds();
  const started = performance.now();
  let ms: number;
  try {
    await lab.start();
    ms = performance.now() - started;
  } finally {
    await lab.stop();
  }
  return { ms, cpu: cpuSeconds() - cpu };
}

function wrkArgs(url: string, seconds: number): string[] {
  return ['-t1', '-c50', `-d${seconds}s`, '--latency', url];
}

export const bench: BenchModule = {
  name: 'kernel',
  async run(): Promise<BenchFigure[]> {
    const k = await kernel();
    const support = await k.kernelLabSupport();
    if (!support.ok) {
      console.error(`  kernel: skipped, ${support.reason}`);
      return [];
    }
    const figures: BenchFigure[] = [];
    const loopbackOf = (t: Topology) => () => new Lab(t, { createService: createRealService });
    const netnsOf = (t: Topology) => () => new k.KernelLab(t);

    const fifty = fiftyNodes();
    const ready = { loopback: [] as number[], netns: [] as number[], netnsCpu: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      ready.loopback.push((await timeToReady(loopbackOf(fifty))).ms);
      const netns = await timeToReady(netnsOf(fifty));
      ready.netns.push(netns.ms);
      ready.netnsCpu.push(netns.cpu);
    }
    const readyLoopback = median(ready.loopback);
    const readyNetns = median(ready.netns);
    console.error(`  time to ready (ms): loopback ${ready.loopback.map(Math.round).join(', ')}; netns ${ready.netns.map(Math.round).join(', ')}; netns CPU to start and stop (s): ${ready.netnsCpu.map((c) => c.toFixed(2)).join(', ')}`);
    figures.push({ case: '50-node design (42 services)', measure: 'time to ready, loopback lab', value: readyLoopback, unit: 'ms' });
    figures.push({ case: '50-node design (42 services)', measure: 'time to ready, kernel lab (netns)', value: readyNetns, unit: 'ms' });
    figures.push({ case: '50-node design (42 services)', measure: 'kernel / loopback time to ready', value: readyNetns / readyLoopback, unit: 'x' });
    // The wall time depends on what else runs; the CPU it takes does not: on a quiet machine the lab is ready in about this / cores.
    figures.push({ case: '50-node design (42 services)', measure: 'kernel lab CPU to start and stop, all processes', value: median(ready.netnsCpu), unit: 's' });

    const design = twoBackends();
    const loopback = loopbackOf(design)();
    const netns = netnsOf(design)();
    try {
      await loopback.start();
      await netns.start();
      const loopbackUrl = `${loopback.endpoints().find((e) => e.id === 'lb')?.url}/`;
      const forwarderUrl = `${netns.endpoints().find((e) => e.id === 'lb')?.url}/`;
      const record = k.runningLabOf(design);
      if (!record) throw new Error('the kernel lab of the bench design is not recorded');
      // wrk runs asynchronously: the loopback lab (and the kernel lab's forwarders) serve from this process's event loop.
      const run = promisify(execFile);
      const inLab = async (seconds: number): Promise<string> =>
        (await run('nsenter', [...k.enterArgs(String(record.holderPid), record.namespaces['tester']), '--', 'wrk', ...wrkArgs('http://10.0.0.10/', seconds)], { encoding: 'utf8' })).stdout;
      const onHost = async (url: string, seconds: number): Promise<string> => (await run('wrk', wrkArgs(url, seconds), { encoding: 'utf8' })).stdout;
      // Warm-up: V8's JIT and the keep-alive pools settle in a few seconds.
      await onHost(loopbackUrl, 3);
      await inLab(3);
      await onHost(forwarderUrl, 3);
      const rps = { loopback: [] as number[], inLab: [] as number[], forwarder: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        rps.loopback.push(parseWrk(await onHost(loopbackUrl, SECONDS)).rps);
        rps.inLab.push(parseWrk(await inLab(SECONDS)).rps);
        rps.forwarder.push(parseWrk(await onHost(forwarderUrl, SECONDS)).rps);
      }
      console.error(`  L7 req/s: loopback ${rps.loopback.map(Math.round).join(', ')}; netns in the lab ${rps.inLab.map(Math.round).join(', ')}; netns through the forwarder ${rps.forwarder.map(Math.round).join(', ')}`);
      const base = median(rps.loopback);
      figures.push({ case: 'built-in L7 balancer, 2 backends, 50 connections', measure: 'req/s, loopback lab', value: base, unit: 'req/s' });
      figures.push({ case: 'built-in L7 balancer, 2 backends, 50 connections', measure: 'req/s, kernel lab from a client namespace', value: median(rps.inLab), unit: 'req/s' });
      figures.push({ case: 'built-in L7 balancer, 2 backends, 50 connections', measure: 'kernel (client namespace) / loopback', value: median(rps.inLab) / base, unit: 'x' });
      figures.push({ case: 'built-in L7 balancer, 2 backends, 50 connections', measure: 'kernel (127.0.0.1 forwarder) / loopback', value: median(rps.forwarder) / base, unit: 'x' });
    } finally {
      await loopback.stop();
      await netns.stop();
    }
    return figures;
  },
};
