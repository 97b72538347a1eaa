/**
 * Launching the desktop app under Playwright's `_electron`, and the reason to skip when it
 * cannot run here: no Electron binary (`npm install` could not download it, as on machines
 * without internet) or no build. Each test gets its own user-data folder.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, test, type ElectronApplication, type Page } from '@playwright/test';
import { DESKTOP_INSTALL, electronBinary } from '../../../build/scripts/electron-binary.mjs';
import { acceptsConnections } from '../../support/net.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist/electron/main/index.js');

/** The Electron executable, or why the desktop tests cannot run on this machine. */
export function electronExecutable(): { path: string } | { reason: string } {
  const path = electronBinary(ROOT);
  if (path === undefined) {
    return { reason: `Electron's binary is not installed here (npm install could not download it); \`${DESKTOP_INSTALL}\` fetches it and enables these tests` };
  }
  for (const built of [MAIN, join(ROOT, 'dist/electron/preload/index.cjs'), join(ROOT, 'dist/renderer/index.html')]) {
    if (!existsSync(built)) return { reason: `${built} is not built; run \`npm run build\` first` };
  }
  return { path };
}

/** Skips every test of the calling file, printing why, when Electron cannot run here. */
export function skipWithoutElectron(): void {
  const found = electronExecutable();
  const reason = 'reason' in found ? `desktop tests skipped: ${found.reason}` : undefined;
  if (reason) console.log(reason);
  test.skip(reason !== undefined, reason);
}

/** A running desktop app with its own user-data folder. */
export interface Desktop {
  app: ElectronApplication;
  userData: string;
  /** The first window's page, once its document is loaded. */
  firstWindow(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the app with design files on its command line (like a file association or
 * `topolab a.topolab.json`). `userData` reuses a user-data folder (a restart after a crash);
 * the caller then removes it.
 */
export async function launchDesktop(files: string[] = [], options: { userData?: string } = {}): Promise<Desktop> {
  const found = electronExecutable();
  if ('reason' in found) throw new Error(found.reason);
  const userData = options.userData ?? (await mkdtemp(join(tmpdir(), 'topolab-desktop-')));
  const ownsUserData = options.userData === undefined;
  const env = { ...process.env, TOPOLAB_USER_DATA: userData } as Record<string, string>;
  delete env['ELECTRON_RUN_AS_NODE'];
  // The app folder, as `npm start` passes it: Electron reads package.json `main` from it.
  const app = await _electron.launch({ executablePath: found.path, args: [ROOT, ...files], env, cwd: ROOT });
  let closed = false;
  return {
    app,
    userData,
    async firstWindow() {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      return page;
    },
    async close() {
      if (!closed) {
        closed = true;
        await app.close().catch(() => undefined);
      }
      if (ownsUserData) await rm(userData, { recursive: true, force: true });
    },
  };
}

/** Clicks a native menu item by its id (the ids of docs/desktop.md), as a user would. */
export async function clickMenu(app: ElectronApplication, id: string): Promise<void> {
  await app.evaluate(({ Menu, BrowserWindow }, itemId) => {
    const item = Menu.getApplicationMenu()?.getMenuItemById(itemId);
    if (!item) throw new Error(`no menu item ${itemId}`);
    item.click(undefined, BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0], undefined as never);
  }, id);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export const listening = (port: number): Promise<boolean> => acceptsConnections(port);

/** Whether a process id is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
