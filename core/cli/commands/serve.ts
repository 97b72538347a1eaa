import { existsSync, promises as fsPromises, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { EXIT } from '../exit.js';
import { CliFailure, type CliStreams } from '../streams.js';
import { parseListenPort } from './shared.js';

/** Options of `topolab serve`. */
export interface ServeOptions {
  port?: number;
  /** Folder of the built renderer (default: dist/renderer of this installation). */
  app?: string;
}

/**
 * The folder of the built renderer: `dist/renderer` beside the installed package, found by
 * walking up from this file (it runs from `dist/core/cli/commands` and, under tsx, from `core/cli/commands`).
 */
export function defaultRendererRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'topolab') return join(dir, 'dist', 'renderer');
      } catch {
        // Not our manifest: keep walking up.
      }
    }
    if (dirname(dir) === dir) return resolve('dist', 'renderer');
  }
}

/**
 * `topolab serve [DIR]`: serves the app and the API for the designs in DIR on 127.0.0.1
 * until `signal` aborts, then closes the server and the service (which stops a running lab).
 * Prints exactly `Topolab at http://127.0.0.1:PORT/` on stdout once listening.
 */
export async function runServe(dir: string, options: ServeOptions, streams: CliStreams, signal: AbortSignal): Promise<void> {
  const root = resolve(dir);
  const stats = await fsPromises.stat(root).catch(() => undefined);
  if (!stats) throw new CliFailure(`${dir}: no such folder`, EXIT.unreadable);
  if (!stats.isDirectory()) throw new CliFailure(`${dir}: is a file, not a folder of designs`, EXIT.unreadable);
  const rendererRoot = resolve(options.app ?? defaultRendererRoot());
  const [{ createService }, { startHttpServer }] = await Promise.all([import('../../api/service.js'), import('../../api/transports/http.js')]);

  const service = createService({ filesRoot: root });
  let server;
  try {
    server = await startHttpServer({ service, rendererRoot, port: options.port ?? 0 });
  } catch (error) {
    await service.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliFailure(`port ${options.port} is already in use (use --port 0 for any free port)`, EXIT.unreadable);
    if (code === 'EACCES') throw new CliFailure(`port ${options.port} needs privileges (use a port above 1023, or 0)`, EXIT.unreadable);
    throw error;
  }
  streams.out(`Topolab at ${server.url}\n`);
  streams.err(`serving the designs in ${root}${existsSync(join(rendererRoot, 'index.html')) ? '' : ` (the app is not built: run \`npm run build\`; the API works)`}; Ctrl+C stops\n`);

  await new Promise<void>((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  await service.close();
  streams.exitCode = EXIT.ok;
}

/** Registers `serve`. */
export function registerServe(program: Command, streams: CliStreams): void {
  program
    .command('serve')
    .description('serve the app and its API on 127.0.0.1 for the designs in a folder')
    .argument('[dir]', 'folder of *.topolab.json designs to open and save', '.')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parseListenPort, 0)
    .option('--app <dir>', 'folder of the built app (default: dist/renderer of this installation)')
    .action(async (dir: string, options: ServeOptions) => {
      const stop = new AbortController();
      const onSignal = (): void => {
        stop.abort();
        // If something still holds the process after a clean close, do not hang forever.
        setTimeout(() => process.exit(EXIT.ok), 5000).unref();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await runServe(dir, options, streams, stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
