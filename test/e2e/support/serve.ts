import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/e2e/support/serve.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CLI = join(REPO_ROOT, 'dist', 'core', 'cli', 'bin.cjs');
const EXAMPLES = join(REPO_ROOT, 'examples');

/** A running `topolab serve` on a temp folder. */
export interface ServedApp {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  /** The served folder: copies of examples/*.topolab.json, free to change. */
  dir: string;
  /** URL of the app opening a design directly. */
  fileUrl(name: string): string;
  /** Calls the API from the test (setup, or checking what the page did); rejects with the error body's message. */
  call(method: string, input: unknown): Promise<unknown>;
  /**
   * Puts the server back as it started: stops its lab, if one runs, and empties the folder
   * (designs, unsaved-work backups, the lab's CA) down to fresh copies of the examples;
   * when the folder holds just those copies, each with the size and modification time it
   * was written with, it is left as it is.
   */
  reset(): Promise<void>;
  /** SIGTERM, wait for the exit (SIGKILL after 5 s), remove the folder. */
  stop(): Promise<void>;
}

/** How long serve may take to print its URL (a cold start on a busy 2-core machine). */
const START_TIMEOUT_MS = 20_000;

/**
 * Starts `node dist/core/cli/bin.cjs serve <tmpdir> --port 0` on a fresh folder holding
 * copies of the examples (plus `extraFiles`), and reads the URL from its first line.
 */
export async function startServe(options: { examples?: boolean } = {}): Promise<ServedApp> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the end-to-end tests`);
  const dir = await mkdtemp(join(tmpdir(), 'topolab-e2e-'));
  // What `fill` left: each copy's size and modification time, so a reset can tell untouched.
  const filled = new Map<string, string>();
  const stamp = async (name: string): Promise<string> => {
    const stats = await stat(join(dir, name));
    return `${stats.isFile() ? 'file' : 'other'} ${stats.size} ${stats.mtimeMs}`;
  };
  const fill = async (): Promise<void> => {
    filled.clear();
    if (options.examples === false || !existsSync(EXAMPLES)) return;
    for (const name of await readdir(EXAMPLES)) {
      if (!name.endsWith('.topolab.json')) continue;
      await copyFile(join(EXAMPLES, name), join(dir, name));
      filled.set(name, await stamp(name));
    }
  };
  // Whether the folder holds exactly what `fill` left, each file unchanged since.
  const untouched = async (): Promise<boolean> => {
    const names = await readdir(dir);
    if (names.length !== filled.size) return false;
    for (const name of names) {
      if (filled.get(name) !== (await stamp(name).catch(() => 'gone'))) return false;
    }
    return true;
  };
  await fill();
  const child = spawn(process.execPath, [CLI, 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`topolab serve printed no URL within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^Topolab at (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`topolab serve exited with ${code}: ${stderr}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  });

  const call = async (method: string, input: unknown): Promise<unknown> => {
    const reply = await fetch(`${url}api/call/${encodeURIComponent(method)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
    const body = (await reply.json()) as { result?: unknown; error?: { code: string; message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.code}: ${body.error.message}`);
    return body.result;
  };

  return {
    url,
    port: Number(new URL(url).port),
    dir,
    fileUrl: (name) => `${url}?file=${encodeURIComponent(name)}`,
    call,
    reset: async () => {
      await call('lab.stop', {});
      // Most tests only read the examples: then there is nothing to put back.
      if (await untouched()) return;
      for (const name of await readdir(dir)) await rm(join(dir, name), { recursive: true, force: true });
      await fill();
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
