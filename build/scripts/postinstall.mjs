// @ts-check
/**
 * `npm install`'s postinstall, and `npm run desktop:install` (`--desktop`).
 *
 * npm skips electron's own postinstall (package.json `allowScripts`): it aborts the whole
 * install where its binary cannot be downloaded. This runs that same `install.js` instead,
 * so where the binary can be had it is downloaded at install as before; where it cannot,
 * the install still succeeds and this prints one line saying the desktop shell is
 * unavailable, why, and what to do. `npm start` then serves the app in the browser.
 *
 * The download at install is given INSTALL_TIMEOUT_MS; `--desktop` (asked for on purpose,
 * with its output shown) waits as long as it takes and exits 1 when it fails.
 */
import { resolve } from 'node:path';
import { DESKTOP_INSTALL, electronBinaryIn, electronPackageDir, fetchElectronBinary } from './electron-binary.mjs';

/** Long enough for Electron's ~100 MB archive on a slow line; an unreachable host fails long before. */
const INSTALL_TIMEOUT_MS = 5 * 60 * 1000;

const root = resolve(import.meta.dirname, '..', '..');
const desktop = process.argv.includes('--desktop');
const dir = electronPackageDir(root);

if (dir === undefined) {
  // A production install (`npm install --omit=dev`, or Topolab as a dependency): no shell wanted.
  if (desktop) {
    console.error('desktop:install: the electron package is not installed; run `npm install` first');
    process.exitCode = 1;
  }
} else if (electronBinaryIn(dir) === undefined) {
  const outcome = await fetchElectronBinary(desktop ? { dir, echo: true } : { dir, timeoutMs: INSTALL_TIMEOUT_MS });
  if (!outcome.ok && desktop) {
    console.error(`desktop:install: Electron's binary could not be downloaded: ${outcome.cause}.`);
    process.exitCode = 1;
  } else if (!outcome.ok) {
    console.log(
      `topolab: the desktop shell is unavailable (Electron's binary could not be downloaded: ${outcome.cause}); ` +
        `\`npm start\` will serve the app in your browser instead, and \`${DESKTOP_INSTALL}\` fetches the shell later.`,
    );
  } else if (desktop) {
    console.log('desktop:install: Electron is installed; `npm start` opens the desktop app.');
  }
} else if (desktop) {
  console.log('desktop:install: Electron is already installed; `npm start` opens the desktop app.');
}
