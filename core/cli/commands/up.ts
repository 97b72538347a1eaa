import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../exit.js';
import { CliFailure, writeJson, type CliStreams } from '../streams.js';
import type { LabMode } from '../../api/contract/index.js';
import { designOf, engineOption, formatEndpoints, modeOption, startLab, untilStopped, type LabEngine } from './lab-shared.js';

/** Options of `topolab up`. */
export interface UpOptions {
  json?: boolean;
  /** Run the design's user commands (refused without it). */
  allowCommands?: boolean;
  /** `netns`: the kernel lab. */
  mode?: LabMode;
  /** With `--mode netns`: nginx or HAProxy for balancers and reverse proxies. */
  engine?: LabEngine;
}

/**
 * `topolab up FILE [--mode netns] [--json]`: runs the design (on loopback, or in network namespaces) until SIGINT/SIGTERM (or
 * `signal`), then stops everything and exits 0. With `--json`, stdout carries exactly one
 * `{"event":"ready","endpoints":[{"id","address","url"}]}` line (with `"mode":"netns"` and each
 * endpoint's `publicAddress` in the kernel lab), then one
 * `{"event":"status",...}` line per state change.
 */
export async function runUp(file: string, options: UpOptions, streams: CliStreams, signal?: AbortSignal): Promise<void> {
  const [{ readTopologyFile }, { createService }] = await Promise.all([import('../io.js'), import('../../api/service.js')]);
  const loaded = await readTopologyFile(file);
  if (!loaded.ok) throw new CliFailure(loaded.message, EXIT.unreadable);
  const stopped = untilStopped(signal);
  const where = designOf(file);
  // The design's folder holds the project's CA (`.topolab/`), made on first use for a design with TLS.
  const service = createService({ ...where.service, projectFolder: dirname(resolve(file)) });
  let ready = false;
  service.subscribe('lab.status', (event) => {
    if (!ready) return; // the ready line sums up the start
    if (options.json) writeJson(streams, { event: 'status', ...event });
    else if (event.node) streams.err(`${event.node.id}: ${event.node.state}${event.node.reason ? ` (${event.node.reason})` : ''}\n`);
  });
  service.subscribe('lab.log', (event) => {
    if (ready && !options.json && event.topic !== 'lifecycle') streams.err(`[${event.level}] ${event.message}\n`);
  });
  try {
    const { status, endpoints } = await startLab(service, loaded.topology, { allowCommands: options.allowCommands === true, ...(options.mode ? { mode: options.mode } : {}), ...(options.engine ? { engine: options.engine } : {}), ...(where.design !== undefined ? { design: where.design } : {}) });
    ready = true;
    const netns = options.mode === 'netns';
    if (options.json) {
      const rows = endpoints.map((e) => ({
        id: e.id,
        address: e.address,
        url: e.url,
        ...(e.httpsUrl ? { httpsUrl: e.httpsUrl } : {}),
        ...(e.httpsAddress ? { httpsAddress: e.httpsAddress } : {}),
        ...(netns && e.publicAddress !== undefined ? { publicAddress: e.publicAddress } : {}),
      }));
      writeJson(streams, { event: 'ready', ...(netns ? { mode: 'netns' } : {}), endpoints: rows, ...(status.dns ? { dns: status.dns } : {}) });
    }
    else {
      streams.out(formatEndpoints(status, endpoints));
      streams.err(`lab running${netns ? ' in network namespaces' : ''}: ${endpoints.length} service${endpoints.length === 1 ? '' : 's'}; Ctrl+C stops\n`);
    }
    await stopped.done;
  } finally {
    stopped.dispose();
    // Status lines keep coming while the lab stops (stopping, each node stopped, stopped).
    await service.close();
  }
  streams.exitCode = EXIT.ok;
}

/** Registers `up`. */
export function registerUp(program: Command, streams: CliStreams): void {
  program
    .command('up')
    .description('run the design on loopback (servers, balancers, proxies, caches) until Ctrl+C')
    .argument('<file>', 'the design file')
    .option('--allow-commands', "run the design's user commands (servers with a `command`); refused without it")
    .addOption(modeOption())
    .addOption(engineOption())
    .option('--json', 'print {"event":"ready","endpoints":[...]} then status events, one JSON object per line')
    .action((file: string, options: UpOptions) => runUp(file, options, streams));
}
