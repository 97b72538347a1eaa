// @ts-check
/**
 * Where Electron's binary is, and fetching it with electron's own `install.js`. npm does
 * not run electron's postinstall (package.json `allowScripts` denies it, so an offline
 * machine still installs); build/scripts/postinstall.mjs runs it instead, bounded in time,
 * and `npm start`, `npm run dist` and the desktop tests ask here whether the shell can run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The npm script that fetches the binary later; every message about a missing shell names it. */
export const DESKTOP_INSTALL = 'npm run desktop:install';

/** The folder of the installed `electron` package seen from `root`, or undefined (a production install has none). */
export function electronPackageDir(root) {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * The Electron executable inside the package folder, as electron's own `index.js` finds it
 * (`path.txt` names it relative to `dist/`), or undefined when the binary is not there.
 */
export function electronBinaryIn(dir) {
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/** The Electron executable of the project at `root`, or undefined. */
export function electronBinary(root) {
  const dir = electronPackageDir(root);
  return dir === undefined ? undefined : electronBinaryIn(dir);
}

/**
 * A short cause from what electron's `install.js` printed when it failed (a stack trace
 * from @electron/get): the host that cannot be resolved or reached, the HTTP status, or
 * else the first line of the error.
 */
export function downloadFailureCause(output) {
  const dns = /getaddrinfo (ENOTFOUND|EAI_AGAIN) ([^\s'"]+)/.exec(output);
  if (dns) return `${dns[2]} cannot be resolved, getaddrinfo ${dns[1]}`;
  const connect = /connect (ECONNREFUSED|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH) ([^\s'"]+)/.exec(output);
  if (connect) return `the connection to ${connect[2]} failed, ${connect[1]}`;
  if (/ECONNRESET|socket hang up/.test(output)) return 'the connection was reset during the download';
  const http = /Response code (\d{3})(?: \(([^)]*)\))?(?: for (\S+))?/.exec(output);
  if (http) return `the download server answered ${http[1]}${http[2] ? ` ${http[2]}` : ''}${http[3] ? ` for ${http[3]}` : ''}`;
  if (/checksum/i.test(output)) return 'the downloaded file failed its checksum';
  const first = output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0);
  if (!first) return 'electron/install.js failed without saying why';
  return first.length > 160 ? `${first.slice(0, 157)}...` : first;
}

/**
 * Runs electron's `install.js` (downloads the binary unless it is already there) and
 * resolves with the outcome; never rejects. With `timeoutMs` the download is stopped once
 * it takes longer. `echo` passes its output through as it comes (for a download a person
 * asked for); otherwise it is kept only to explain a failure.
 */
export function fetchElectronBinary({ dir, timeoutMs, echo = false, env = process.env }) {
  const script = join(dir, 'install.js');
  if (!existsSync(script)) return Promise.resolve({ ok: false, cause: `${script} is missing (reinstall the electron package)` });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: dir, env, stdio: ['ignore', echo ? 'inherit' : 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      if (echo) process.stderr.write(chunk);
      // The first lines carry the cause; the rest of a long stack trace is not needed.
      if (output.length < 64 * 1024) output += chunk.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
          }, timeoutMs);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolve({ ok: false, cause: `electron/install.js could not be run (${error.message})` });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (timedOut) resolve({ ok: false, cause: `the download took longer than ${Math.round((timeoutMs ?? 0) / 1000)} s and was stopped` });
      else if (code !== 0) resolve({ ok: false, cause: downloadFailureCause(output) });
      else if (!electronBinaryIn(dir)) {
        resolve({ ok: false, cause: env['ELECTRON_SKIP_BINARY_DOWNLOAD'] ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' : 'electron/install.js finished without installing the binary' });
      } else resolve({ ok: true });
    });
  });
}
