import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ApiError } from '../../api/contract/errors.js';
import { LOAD_LIMITS } from '../../api/contract/limits.js';
import type { LoadResult } from '../../runtime/load/types.js';
import { EXIT } from '../exit.js';
import { formatTable } from '../output.js';
import { CliFailure, writeJson, type CliStreams } from '../streams.js';
import type { LabMode } from '../../api/contract/index.js';
import { designOf, engineOption, modeOption, parseSeconds, startLab, untilStopped, type LabEngine } from './lab-shared.js';
import { parseCount } from './shared.js';

/** Options of `topolab load`, as commander hands them over. */
export interface LoadCommandOptions {
  to: string;
  from?: string;
  via?: string;
  requests?: number;
  duration?: number;
  concurrency?: number;
  rps?: number;
  path?: string;
  method?: string;
  sources?: number;
  /** To the node's HTTPS listener, trusting the project's CA. */
  https?: boolean;
  json?: boolean;
  /** Run the design's user commands (refused without it). */
  allowCommands?: boolean;
  /** `netns`: the kernel lab (`--from` then sends from the client's namespace). */
  mode?: LabMode;
  /** With `--mode netns`: nginx or HAProxy for balancers and reverse proxies. */
  engine?: LabEngine;
}

/**
 * `topolab load FILE --to ID`: starts the lab, sends the load, prints the summary and
 * stops the lab. `--json` prints exactly `{requests, rps, status, latency, byServer, byAddress}`.
 * `--to` may name a node or a DNS name of the design's zones (`www.shop.example[:port]`).
 * Exit 1 when the lab cannot start or the flow is blocked in the design.
 */
export async function runLoadCommand(file: string, options: LoadCommandOptions, streams: CliStreams, signal?: AbortSignal): Promise<void> {
  if (options.requests !== undefined && options.duration !== undefined) throw new CliFailure('give either -n (requests) or -d (seconds), not both');
  if (options.path !== undefined && !options.path.startsWith('/')) throw new CliFailure(`--path must start with "/", got "${options.path}"`);
  const [{ readTopologyFile }, { createService }] = await Promise.all([import('../io.js'), import('../../api/service.js')]);
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const stopped = untilStopped(signal);
  const where = designOf(file);
  // The design's folder holds the project's CA (`.topolab/`), made on first use for a design with TLS.
  const service = createService({ ...where.service, projectFolder: dirname(resolve(file)) });
  let result: LoadResult;
  try {
    await startLab(service, loaded.topology, { allowCommands: options.allowCommands === true, ...(options.mode ? { mode: options.mode } : {}), ...(options.engine ? { engine: options.engine } : {}), ...(where.design !== undefined ? { design: where.design } : {}) });
    const run = service.call('lab.load', {
      to: options.to,
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(options.via !== undefined ? { via: options.via } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(options.method !== undefined ? { method: options.method } : {}),
      ...(options.duration !== undefined ? { durationSeconds: options.duration } : { requests: options.requests ?? 100 }),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.rps !== undefined ? { rps: options.rps } : {}),
      ...(options.sources !== undefined ? { sources: options.sources } : {}),
      ...(options.https === true ? { https: true } : {}),
    });
    // Ctrl+C stops the lab, which cancels the run; what was measured is still printed.
    void stopped.done.then(() => service.close());
    result = await run;
  } catch (error) {
    if (error instanceof ApiError) throw new CliFailure(error.message, error.code === 'bad-input' || error.code === 'not-found' ? EXIT.unreadable : EXIT.problems);
    throw error;
  } finally {
    stopped.dispose();
    await service.close();
  }
  if (options.json) {
    const { requests, rps, status, latency, byServer, byAddress } = result;
    writeJson(streams, { requests, rps, status, latency, byServer, byAddress });
  } else {
    streams.out(formatSummary(result));
  }
  streams.exitCode = EXIT.ok;
}

/** The human summary: totals, latency, status codes and the split per server. */
export function formatSummary(result: LoadResult): string {
  const lines = [
    `${result.requests} requests in ${(result.durationMs / 1000).toFixed(2)} s: ${result.rps} req/s${result.aborted ? ' (cancelled)' : ''}`,
    `latency ms: p50 ${result.latency.p50}  p90 ${result.latency.p90}  p99 ${result.latency.p99}  max ${result.latency.max}`,
    '',
    formatTable([['status', 'count'], ...Object.entries(result.status).map(([code, n]) => [code, String(n)])]),
  ];
  const errors = Object.entries(result.errors);
  if (errors.length > 0) lines.push('', formatTable([['error', 'count'], ...errors.map(([code, n]) => [code, String(n)])]));
  const servers = Object.entries(result.byServer).sort(([a], [b]) => a.localeCompare(b));
  if (servers.length > 0) {
    lines.push('', formatTable([['served by', 'count', 'share'], ...servers.map(([id, n]) => [id, String(n), `${((n / Math.max(1, result.requests)) * 100).toFixed(1)}%`])]));
  }
  const addresses = Object.entries(result.byAddress);
  // One address says nothing new; several (a DNS name's answers) show where the clients went.
  if (addresses.length > 1 || (addresses.length === 1 && servers.length === 0)) {
    lines.push('', formatTable([['address', 'count', 'share'], ...addresses.map(([a, n]) => [a, String(n), `${((n / Math.max(1, result.requests)) * 100).toFixed(1)}%`])]));
  }
  return `${lines.join('\n')}\n`;
}

/** Registers `load`. */
export function registerLoad(program: Command, streams: CliStreams): void {
  program
    .command('load')
    .description('start the design, send HTTP load to a node and print requests/s, status codes, latency and the split per server')
    .argument('<file>', 'the design file')
    .requiredOption('--to <id>', 'the node to send to (a balancer, proxy, cache or server), or a DNS name of the design (www.shop.example[:port])')
    .option('-n, --requests <n>', 'number of requests (default 100)', parseCount(1, LOAD_LIMITS.requests))
    .option('-d, --duration <seconds>', 'send for this long instead of a count', parseSeconds)
    .option('-c, --concurrency <n>', 'requests in flight at once (default 10)', parseCount(1, LOAD_LIMITS.concurrency))
    .option('--rps <n>', 'pace the run to at most n requests per second', parseCount(1, LOAD_LIMITS.rps))
    .option('--from <id>', 'the node the traffic comes from (the flow must be reachable in the design; with --mode netns it is sent from that node\'s namespace)')
    .option('--via <id>', 'send through this forward proxy')
    .option('--path <path>', 'request path (default /)')
    .option('--method <method>', 'HTTP method (default GET)')
    .option('--sources <n>', 'spread connections over n distinct 127.x source addresses (Linux)', parseCount(1, LOAD_LIMITS.sources))
    .option('--https', "send to the node's HTTPS listener (its tls block), trusting the project's CA (.topolab/)")
    .option('--allow-commands', "run the design's user commands (servers with a `command`); refused without it")
    .addOption(modeOption())
    .addOption(engineOption())
    .option('--json', 'print {requests, rps, status, latency, byServer, byAddress} on one line')
    .action((file: string, options: LoadCommandOptions) => runLoadCommand(file, options, streams));
}
