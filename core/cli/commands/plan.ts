import type { Command } from 'commander';
import type { SubnetRequest } from '../../cidr/plan.js';
import type { Provider } from '../../model/types.js';
import { EXIT } from '../exit.js';
import { formatTable } from '../output.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';
import { describeProblem, parseList, parseProvider } from './shared.js';

/** Options of `topolab plan`, as commander hands them over. */
export interface PlanOptions {
  cidr: string;
  sizes: string;
  zones?: string;
  existing?: string;
  provider?: Provider;
  json?: boolean;
}

const PREFIX_SIZE = /^\/?(\d{1,3})$/;
const HOST_SIZE = /^(\d{1,10})h$/i;

/**
 * Parses `--sizes`: `24`, `/24` (a prefix length) or `500h` (room for at least 500
 * usable hosts under the provider's reservations), comma-separated.
 */
export function parseSizes(text: string): SubnetRequest[] {
  const items = parseList(text);
  if (items.length === 0) throw new CliFailure('--sizes needs at least one size, e.g. --sizes 24,24,20 or --sizes 500h,100h');
  return items.map((item) => {
    const prefix = PREFIX_SIZE.exec(item);
    if (prefix) return { prefix: Number(prefix[1]) };
    const hosts = HOST_SIZE.exec(item);
    if (hosts && Number(hosts[1]) >= 1) return { hosts: Number(hosts[1]) };
    throw new CliFailure(`--sizes: "${item}" is not a size; write a prefix length (24 or /24) or a host count (500h)`);
  });
}

/** `topolab plan`: allocate subnets inside a VPC; exit 1 with the free space when they do not fit. */
export async function runPlan(options: PlanOptions, streams: CliStreams): Promise<void> {
  const [{ safeParseCidr }, { planInService }] = await Promise.all([import('../../cidr/block.js'), import('./plan-run.js')]);
  const checkCidr = (flag: string, text: string): void => {
    const parsed = safeParseCidr(text);
    if (!parsed.ok) throw new CliFailure(`${flag}: ${describeProblem(parsed.problem)}`);
  };
  checkCidr('--cidr', options.cidr);
  const existing = options.existing === undefined ? [] : parseList(options.existing);
  for (const cidr of existing) checkCidr('--existing', cidr);
  const zones = options.zones === undefined ? [] : parseList(options.zones);
  const requests = parseSizes(options.sizes);
  const result = planInService({
    vpcCidr: options.cidr,
    requests,
    ...(zones.length > 0 ? { zones } : {}),
    ...(existing.length > 0 ? { existing } : {}),
    ...(options.provider ? { provider: options.provider } : {}),
  });
  const paint = paintWith(streams.colour);
  if (!result.ok) {
    if (options.json) writeJson(streams, { error: result.error, free: result.free });
    else streams.out(`${paint('red', result.error)}\nfree: ${result.free.length > 0 ? result.free.join(', ') : 'none'}\n`);
    streams.exitCode = EXIT.problems;
    return;
  }
  if (options.json) {
    writeJson(streams, { subnets: result.subnets.map((s) => ({ cidr: s.cidr, zone: s.zone ?? null })) });
  } else {
    const rows = [['#', 'CIDR', 'zone', 'usable hosts'], ...result.subnets.map((s) => [String(s.request + 1), s.cidr, s.zone ?? '-', s.usableHosts])];
    streams.out(`${formatTable(rows)}\n`);
  }
  streams.exitCode = EXIT.ok;
}

/** Registers `plan`. */
export function registerPlan(program: Command, streams: CliStreams): void {
  program
    .command('plan')
    .description('allocate subnets of the given sizes inside a VPC CIDR (largest first, aligned, existing ones kept)')
    .requiredOption('--cidr <cidr>', 'the VPC CIDR, e.g. 10.0.0.0/16')
    .requiredOption('--sizes <list>', 'comma-separated sizes: prefix lengths (24 or /24) or host counts (500h)')
    .option('--zones <list>', 'comma-separated zones, given to the subnets in turn')
    .option('--existing <list>', 'comma-separated subnets already in the VPC (kept, never moved)')
    .option('--provider <provider>', 'aws (default), azure, gcp or generic: subnet sizes and reserved addresses', parseProvider)
    .option('--json', 'print {"subnets":[{"cidr","zone"}]} or {"error","free":[...]} on one line')
    .action((options: PlanOptions) => runPlan(options, streams));
}
