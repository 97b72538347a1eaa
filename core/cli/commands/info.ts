import type { Command } from 'commander';
import type { CidrInfo } from '../../cidr/info.js';
import type { Provider } from '../../model/types.js';
import { EXIT } from '../exit.js';
import { formatTable } from '../output.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';
import { describeProblem, parseProvider } from './shared.js';

/**
 * `topolab info CIDR`: range, size, usable hosts, class and address space. Exit 2 for a bad
 * CIDR. Calls the engine function behind the service's `cidr.info` directly: the flags are
 * already checked, and loading the contract's schemas would double the start-up time.
 */
export async function runInfo(cidr: string, options: { provider?: Provider; json?: boolean }, streams: CliStreams): Promise<void> {
  const { cidrInfo } = await import('../../cidr/info.js');
  const result = cidrInfo(cidr, options.provider);
  if (!result.ok) throw new CliFailure(`${describeProblem(result.problem)}`, EXIT.unreadable);
  if (options.json) writeJson(streams, result.info);
  else streams.out(formatInfo(result.info, streams.colour));
  streams.exitCode = EXIT.ok;
  // Nothing follows: end the process now rather than wait for the runtime's teardown (as validate does).
  streams.end?.();
}

/** Two columns: field and value; IPv4-only fields appear only for IPv4. */
export function formatInfo(info: CidrInfo, colour: boolean): string {
  const paint = paintWith(colour);
  const rows: [string, string | undefined][] = [
    ['CIDR', paint('bold', info.cidr)],
    ['range', `${info.first} - ${info.last}`],
    ['netmask', info.netmask],
    ['wildcard', info.wildcard],
    ['size', info.size],
    [`usable (${info.provider})`, `${info.usableHosts}${info.firstUsable && info.lastUsable ? ` (${info.firstUsable} - ${info.lastUsable})` : ''}`],
    ['class', info.class],
    ['address space', info.rangeName],
    ...info.reserved.map((r, i): [string, string] => [i === 0 ? 'reserved' : '', `${r.address}  ${paint('dim', r.reason)}`]),
  ];
  return `${formatTable(rows.filter((row): row is [string, string] => row[1] !== undefined).map(([k, v]) => [k, v]))}\n`;
}

/** Registers `info`. */
export function registerInfo(program: Command, streams: CliStreams): void {
  program
    .command('info')
    .description('describe a CIDR: range, size, usable hosts, class, private/public space')
    .argument('<cidr>', 'an IPv4 or IPv6 CIDR, e.g. 10.0.0.0/16')
    .option('--provider <provider>', 'aws (default), azure, gcp or generic: reserved addresses', parseProvider)
    .option('--json', 'print the description as one JSON object')
    .action((cidr: string, options: { provider?: Provider; json?: boolean }) => runInfo(cidr, options, streams));
}
