// @ts-check
/**
 * The Electron fuses of a packaged Topolab, flipped by after-pack.mjs: features compiled
 * into the Electron binary that someone with access to the installed app could otherwise
 * use to run arbitrary code under the app's identity.
 */
import { join } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/** @type {import('@electron/fuses').FuseV1Config} */
export const FUSES = {
  version: FuseVersion.V1,
  // Fail the build if a future Electron adds a fuse nobody decided about.
  strictlyRequireAllFuses: true,
  // `ELECTRON_RUN_AS_NODE=1 Topolab evil.js` would run any script as the app.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS=--require=... would inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect would open a debugger port into the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only app.asar is loaded, and its hash is checked against the one embedded at build.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // The page is served from topolab://app, so file:// needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
};

/**
 * The file whose fuse wire is flipped in a packaged app folder (the .app bundle on macOS,
 * which @electron/fuses resolves to the framework binary; the executable elsewhere).
 * @param {{ platform: string, appOutDir: string, productFilename: string, executableName: string }} target
 * @returns {string}
 */
export function electronBinaryPath({ platform, appOutDir, productFilename, executableName }) {
  if (platform === 'darwin' || platform === 'mas') return join(appOutDir, `${productFilename}.app`);
  if (platform === 'win32') return join(appOutDir, `${productFilename}.exe`);
  return join(appOutDir, executableName);
}
