import { InvalidArgumentError, type Command } from 'commander';
import type { Topology } from '../../model/index.js';
import type { TraceRequest, TraceResult, TrafficProtocol } from '../../routing/trace.js';
import { EXIT } from '../exit.js';
import { CliFailure, paintWith, writeJson, type CliStreams } from '../streams.js';
import { parsePort } from './shared.js';

/** Options of `topolab trace`. */
export interface TraceOptions {
  from?: string;
  to?: string;
  port?: number;
  protocol?: TrafficProtocol;
  sourcePort?: number;
  /** Trace the flow of this edge instead: its ends as the lab runs them, on its port, over tcp. */
  edge?: string;
  json?: boolean;
}

const PROTOCOLS: readonly TrafficProtocol[] = ['tcp', 'udp', 'icmp'];

/** Parses `--protocol`; commander turns the error into a usage message (exit 2). */
function parseProtocol(value: string): TrafficProtocol {
  if (!(PROTOCOLS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${PROTOCOLS.join(', ')}`);
  return value as TrafficProtocol;
}

/**
 * `topolab trace FILE --from ID --to ID|IP|NAME [--port N] [--protocol P] [--source-port N]`
 * or `--edge ID [--source-port N]`: exit 0 reachable, 1 blocked, 2 unreadable file, unknown
 * node or edge, bad flags.
 */
export async function runTrace(file: string, options: TraceOptions, streams: CliStreams): Promise<void> {
  if (options.protocol === 'icmp' && (options.port !== undefined || options.sourcePort !== undefined)) {
    throw new CliFailure('icmp has no ports: drop --port and --source-port', EXIT.unreadable);
  }
  const [{ readTopologyFile }, { callService }] = await Promise.all([import('../io.js'), import('../service.js')]);
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const flow = await flowOf(loaded.topology, options);
  const result = await callService('trace', {
    topology: loaded.topology,
    ...flow,
    ...(options.sourcePort !== undefined ? { sourcePort: options.sourcePort } : {}),
  });
  if (options.json) writeJson(streams, result);
  else streams.out(formatTrace(result, streams.colour));
  streams.exitCode = result.verdict === 'reachable' ? EXIT.ok : EXIT.problems;
}

/** What to trace: `--from`/`--to`/`--port`/`--protocol`, or the flow of `--edge` (as `validate` traces it: its port, tcp). */
async function flowOf(topology: Topology, options: TraceOptions): Promise<Pick<TraceRequest, 'from' | 'to' | 'port' | 'protocol'>> {
  if (options.edge !== undefined) {
    if (options.from !== undefined || options.to !== undefined || options.port !== undefined || options.protocol !== undefined) {
      throw new CliFailure('--edge traces that edge on its own port over tcp: give it without --from, --to, --port and --protocol', EXIT.unreadable);
    }
    const edge = topology.edges.find((e) => e.id === options.edge);
    if (!edge) throw new CliFailure(`no edge "${options.edge}" in this design`, EXIT.unreadable);
    // Loaded on use: the model (and zod with it) would otherwise load with every command.
    const { edgeFlow, resolveAddresses, TopologyIndex } = await import('../../model/index.js');
    const index = new TopologyIndex(topology);
    return { ...edgeFlow(index, resolveAddresses(index), edge), protocol: 'tcp' };
  }
  if (options.from === undefined || options.to === undefined) throw new CliFailure('give --from and --to (or --edge)', EXIT.unreadable);
  return {
    from: options.from,
    to: options.to,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
  };
}

/** Numbered hops, then the verdict (and the blocking node with its reason), then a group's instances. */
export function formatTrace(result: TraceResult, colour: boolean): string {
  const paint = paintWith(colour);
  if (result.dns) return formatNameTrace(result, colour);
  const width = String(result.hops.length).length;
  const lines = result.hops.map((hop, i) => {
    // The address is printed unless the sentence already says it.
    const address = hop.address && !hop.description.includes(hop.address) ? ` ${paint('dim', hop.address)}` : '';
    return `${String(i + 1).padStart(width)}. ${paint('cyan', hop.kind.padEnd(16))} ${hop.description}${address}`;
  });
  if (result.verdict === 'reachable') lines.push(paint(['bold', 'green'], 'reachable'));
  else if (result.blockedBy) {
    lines.push(`${paint(['bold', 'red'], 'blocked')} at ${paint('bold', result.blockedBy.nodeId)} (${blockedWhat(result.blockedBy)}): ${result.blockedBy.reason}`);
    // The edit trace suggests, as validate prints a diagnostic's fix.
    const fix = result.blockedBy.fix;
    if (fix) lines.push(`  ${paint('green', 'fix:')} ${fix.title} (${fix.nodeId}.${fix.field} = ${JSON.stringify(fix.value)})`);
  }
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

/** A trace to a DNS name: what it resolves to, then each answer's hops and verdict, then the overall verdict. */
function formatNameTrace(result: TraceResult, colour: boolean): string {
  const paint = paintWith(colour);
  const dns = result.dns!;
  const chain = dns.cnames.length > 0 ? ` (via ${dns.cnames.join(' -> ')})` : '';
  const answered = dns.answers.map((a) => (a.nodeId ? `${a.address} (${a.nodeId})` : a.address)).join(', ');
  const lines = [`${paint('bold', dns.name)} resolves${chain} to ${answered || `nothing (${dns.rcode})`}`];
  dns.answers.forEach((answer, n) => {
    lines.push('', `answer ${n + 1}: ${paint('bold', answer.nodeId ? `${answer.address} (${answer.nodeId})` : answer.address)}`);
    const single = formatTrace({ verdict: answer.verdict, hops: answer.hops, ...(answer.blockedBy ? { blockedBy: answer.blockedBy } : {}) }, colour);
    lines.push(...single.trimEnd().split('\n').map((line) => `  ${line}`));
  });
  lines.push('');
  if (result.verdict === 'reachable') lines.push(paint(['bold', 'green'], dns.answers.length > 1 ? `reachable (all ${dns.answers.length} answers)` : 'reachable'));
  else if (result.blockedBy) lines.push(`${paint(['bold', 'red'], 'blocked')} at ${paint('bold', result.blockedBy.nodeId)} (${blockedWhat(result.blockedBy)}): ${result.blockedBy.reason}`);
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
    .option('--from <id>', 'the node the traffic starts at')
    .option('--to <id|ip|name>', 'a node id, an IP address, or a DNS name of the design (every answer is traced)')
    .option('--port <n>', 'the destination port (default: the node\'s, 80 for a name; checked against it)', parsePort)
    .option('--protocol <p>', 'tcp (default), udp or icmp: what security groups and network ACLs judge', parseProtocol)
    .option('--source-port <n>', 'the initiator\'s source port: ACLs must let replies back to it (default: its whole ephemeral range)', parsePort)
    .option('--edge <id>', 'trace the flow of this edge, on its port over tcp, as validate does (instead of --from/--to/--port/--protocol)')
    .option('--json', 'print {"verdict","hops":[...],"blockedBy"?,"instances"?,"dns"?} on one line')
    .action((file: string, options: TraceOptions) => runTrace(file, options, streams));
}
