/**
 * A child process of the lab benchmark (test/bench/lab.bench.ts), run with --expose-gc:
 * starts a lab of `SERVERS` servers behind a balancer in this process, keeps wrk (200
 * connections) on the balancer for ROUNDS rounds of SECONDS, and after each round forces a
 * full collection and prints the live heap and RSS as one JSON line. RSS alone cannot show
 * a leak within a minute: V8 lets the old generation grow until its first major
 * collection; the heap after a forced one can.
 *
 *   lab-heap-worker.ts SERVERS ROUNDS SECONDS
 */
import { spawn } from 'node:child_process';
import { parseTopology } from '../../core/model/load.js';
import { Lab } from '../../core/runtime/lab/lab.js';
import { createRealService } from '../../core/runtime/lab/services.js';
import { labDesign } from './lab-design.js';

async function main(): Promise<void> {
  const [servers, rounds, seconds] = process.argv.slice(2).map(Number);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const lab = new Lab(parseTopology(JSON.stringify(labDesign(servers ?? 49))), { createService: createRealService });
  const status = await lab.start();
  const url = status.nodes.find((n) => n.id === 'lb')?.url;
  if (url === undefined) throw new Error('the balancer has no URL');
  for (let round = 0; round < (rounds ?? 6); round += 1) {
    await new Promise<void>((resolve, reject) => {
      const wrk = spawn('wrk', ['-t1', '-c200', `-d${seconds ?? 10}s`, `${url}/`], { stdio: 'ignore' });
      wrk.once('error', reject);
      wrk.once('exit', () => resolve());
    });
    gc();
    gc();
    const memory = process.memoryUsage();
    process.stdout.write(JSON.stringify({ round, heapMb: memory.heapUsed / 1048576, rssMb: memory.rss / 1048576 }) + '\n');
  }
  await lab.stop();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
