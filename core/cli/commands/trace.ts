import { InvalidArgumentError, type Command } from 'commander';
import type { TraceResult, TrafficProtocol } from '../../routing/trace.js';
import { EXIT } from '../exit.js';
import { readTopologyFile } from '../io.js';
import { callService } from '../service.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';
import { parsePort } from './shared.js';

/** Options of `topolab trace`. */
export interface TraceOptions {
  from: string;
  to: string;
  port?: number;
  protocol?: TrafficProtocol;
  sourcePort?: number;
  json?: boolean;
}

const PROTOCOLS: readonly TrafficProtocol[] = ['tcp', 'udp', 'icmp'];

/** Parses `--protocol`; commander turns the error into a usage message (exit 2). */
function parseProtocol(value: string): TrafficProtocol {
  if (!(PROTOCOLS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${PROTOCOLS.join(', ')}`);
  return value as TrafficProtocol;
}

/** `topolab trace FILE --from ID --to ID|IP [--port N] [--protocol P] [--source-port N]`: exit 0 reachable, 1 blocked, 2 unreadable file, bad flag or unknown node. */
export async function runTrace(file: string, options: TraceOptions, streams: CliStreams): Promise<void> {
  if (options.protocol === 'icmp' && (options.port !== undefined || options.sourcePort !== undefined)) {
    throw new CliFailure('icmp has no ports: drop --port and --source-port', EXIT.unreadable);
  }
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const result = await callService('trace', {
    topology: loaded.topology,
    from: options.from,
    to: options.to,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    ...(options.sourcePort !== undefined ? { sourcePort: options.sourcePort } : {}),
  });
  if (options.json) writeJson(streams, result);
  else streams.out(formatTrace(result, streams.colour));
  streams.exitCode = result.verdict === 'reachable' ? EXIT.ok : EXIT.problems;
}

/** Numbered hops, then the verdict (and the blocking node with its reason), then a group's instances. */
export function formatTrace(result: TraceResult, colour: boolean): string {
  const paint = paintWith(colour);
  const width = String(result.hops.length).length;
  const lines = result.hops.map((hop, i) => {
    // The address is printed unless the sentence already says it.
    const address = hop.address && !hop.description.includes(hop.address) ? ` ${paint('dim', hop.address)}` : '';
    return `${String(i + 1).padStart(width)}. ${paint('cyan', hop.kind.padEnd(16))} ${hop.description}${address}`;
  });
  if (result.verdict === 'reachable') lines.push(paint(['bold', 'green'], 'reachable'));
  else if (result.blockedBy) lines.push(`${paint(['bold', 'red'], 'blocked')} at ${paint('bold', result.blockedBy.nodeId)} (${blockedWhat(result.blockedBy)}): ${result.blockedBy.reason}`);
  // A group's trace: one line per instance, each in its own subnet.
  const instances = result.instances ?? [];
  const idWidth = Math.max(0, ...instances.map((i) => i.id.length));
  const addressWidth = Math.max(0, ...instances.map((i) => i.address.length));
  const subnetWidth = Math.max(0, ...instances.map((i) => i.subnetId.length));
  for (const i of instances) {
    const verdict = i.verdict === 'reachable' ? paint('green', 'reachable') : `${paint('red', 'blocked')} at ${i.blockedBy?.nodeId ?? '?'}`;
    lines.push(`  ${i.id.padEnd(idWidth)}  ${i.address.padEnd(addressWidth)}  ${i.subnetId.padEnd(subnetWidth)}  ${verdict}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `security-group, inbound`, `network-acl, outbound response, rule 120`, `no-route`. */
function blockedWhat(blockedBy: NonNullable<TraceResult['blockedBy']>): string {
  if (blockedBy.code === 'security-group') return `security-group, ${blockedBy.direction}`;
  if (blockedBy.code === 'network-acl') return `network-acl, ${blockedBy.direction} ${blockedBy.leg}, ${blockedBy.rule === null ? 'final deny' : `rule ${blockedBy.rule}`}`;
  return blockedBy.code;
}

/** Registers `trace`. */
export function registerTrace(program: Command, streams: CliStreams): void {
  program
    .command('trace')
    .description('follow a flow hop by hop through the route tables; exit 1 when blocked')
    .argument('<file>', 'the design file')
    .requiredOption('--from <id>', 'the node the traffic starts at')
    .requiredOption('--to <id|ip>', 'a node id or an IP address')
    .option('--port <n>', 'the destination port (default: the node\'s; checked against it)', parsePort)
    .option('--protocol <p>', 'tcp (default), udp or icmp: what security groups and network ACLs judge', parseProtocol)
    .option('--source-port <n>', 'the initiator\'s source port: ACLs must let replies back to it (default: its whole ephemeral range)', parsePort)
    .option('--json', 'print {"verdict","hops":[...],"blockedBy"?,"instances"?} on one line')
    .action((file: string, options: TraceOptions) => runTrace(file, options, streams));
}
