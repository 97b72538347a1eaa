import { basename, dirname, resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { LabMode } from '../../api/contract/index.js';
import { ApiError } from '../../api/contract/errors.js';
import type { TopolabService } from '../../api/service.js';
import { describeUserCommands } from '../../runtime/lab/commands.js';
import type { LabEndpoint, LabStatus } from '../../api/contract/index.js';
import type { ParsedTopology } from '../../model/parsed.js';
import { EXIT } from '../exit.js';
import { formatTable } from '../output.js';
import { CliFailure } from '../streams.js';

/**
 * The service options and `lab.start` design name for a design file, so the lab finds an
 * API gateway's secret files next to it (none for stdin).
 */
export function designOf(file: string): { service: { filesRoot?: string }; design?: string } {
  if (file === '-') return { service: {} };
  const absolute = resolve(file);
  return { service: { filesRoot: dirname(absolute) }, design: basename(absolute) };
}

/** Parses a duration in seconds (decimals allowed), more than 0 and at most an hour. */
export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0) || seconds > 3600) throw new InvalidArgumentError('seconds, more than 0 and at most 3600');
  return seconds;
}

/**
 * Starts the lab of a design on an in-process service. A design that cannot run (or a
 * service that cannot start) is a `CliFailure` with exit code 1 and every reason.
 */
export async function startLab(service: TopolabService, topology: ParsedTopology, options: { allowCommands?: boolean; mode?: LabMode; engine?: LabEngine; design?: string } = {}): Promise<{ status: LabStatus; endpoints: LabEndpoint[] }> {
  if (options.engine !== undefined && options.engine !== 'builtin' && options.mode !== 'netns') throw new CliFailure(`--engine ${options.engine} needs --mode netns`);
  if (options.mode === 'netns') {
    // Where namespaces cannot work, say so in one line before touching anything.
    // Loaded on use: it loads child_process (and net, streams, dgram with it) for every command otherwise.
    const { kernelLabSupport } = await import('../../runtime/kernel/support.js');
    const support = await kernelLabSupport();
    if (!support.ok) throw new CliFailure(support.reason, EXIT.problems);
  }
  try {
    return await service.call('lab.start', {
      topology,
      ...(options.allowCommands === true ? { allowCommands: true } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.design !== undefined ? { design: options.design } : {}),
    });
  } catch (error) {
    // A design's commands run as this user: `lab.start` refuses them unasked (the one check),
    // listing each as an issue (node id, command); the CLI names its own flag.
    if (error instanceof ApiError && error.code === 'forbidden' && error.issues && error.issues.length > 0) {
      const commands = error.issues.map((issue) => ({ nodeId: issue.path, command: issue.message }));
      throw new CliFailure(`the lab did not start: ${describeUserCommands(commands, 'pass --allow-commands to run them')}`, EXIT.problems);
    }
    if (error instanceof ApiError) {
      const details = error.issues && error.issues.length > 0 && !error.message.includes('\n') ? `\n${error.issues.map((i) => `  ${i.message}`).join('\n')}` : '';
      throw new CliFailure(`the lab did not start: ${error.message}${details}`, error.code === 'bad-input' ? EXIT.unreadable : EXIT.problems);
    }
    throw error;
  }
}

/** The endpoint table: node, designed address, loopback URL, and whether it is an entry point (and, in the kernel lab, the public address). */
export function formatEndpoints(status: LabStatus, endpoints: LabEndpoint[]): string {
  const published = new Set(status.nodes.filter((n) => n.published).map((n) => n.id));
  const withPublic = endpoints.some((e) => e.publicAddress !== undefined);
  const rows = [
    ['node', 'designed address', ...(withPublic ? ['public address'] : []), 'loopback URL', 'entry point'],
    ...endpoints.map((e) => [e.id, e.address, ...(withPublic ? [e.publicAddress ?? ''] : []), e.httpsUrl ? `${e.url} ${e.httpsUrl}` : e.url, published.has(e.id) ? 'yes' : '']),
  ];
  const dns = status.dns ? `\nDNS for ${status.dns.zones.join(', ')}: ${status.dns.host} port ${status.dns.port} (dig @${status.dns.host} -p ${status.dns.port} NAME)\n` : '';
  return `${formatTable(rows)}\n${dns}`;
}

/** Which program runs balancers and reverse proxies in the kernel lab. */
export type LabEngine = 'builtin' | 'nginx' | 'haproxy';

/** `--engine builtin|nginx|haproxy`, shared by `up` and `load`. */
export function engineOption(): Option {
  return new Option('--engine <engine>', 'with --mode netns: run balancers and reverse proxies in nginx or HAProxy with the design\'s export, unchanged (default builtin)').choices(['builtin', 'nginx', 'haproxy']);
}

/** `--mode loopback|netns`, shared by `up` and `load`. */
export function modeOption(): Option {
  return new Option('--mode <mode>', 'loopback (default): every service on 127.0.0.1; netns: each node in a Linux network namespace at its designed address').choices(['loopback', 'netns']);
}

/** Resolves when the process gets SIGINT or SIGTERM, or `signal` aborts; removes its handlers. */
export function untilStopped(signal?: AbortSignal): { done: Promise<string>; dispose(): void } {
  let dispose = (): void => undefined;
  const done = new Promise<string>((resolve) => {
    const onSignal = (name: string) => (): void => resolve(name);
    const onInt = onSignal('SIGINT');
    const onTerm = onSignal('SIGTERM');
    const onAbort = (): void => resolve('abort');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) resolve('abort');
    dispose = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      signal?.removeEventListener('abort', onAbort);
    };
  });
  return { done, dispose: () => dispose() };
}
