/** Shared helpers of the desktop-shell unit tests: Node's MessageChannel as the lab's port, the shell build. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { PortLike } from '../../../electron/lab/protocol.js';

/** Adapts a Node MessagePort to the shell's PortLike (the app adapts Electron's MessagePortMain). */
export function nodePort(port: MessagePort): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    close: () => port.close(),
  };
}

/** A connected pair of PortLikes. */
export function portPair(): { a: PortLike; b: PortLike; close(): void } {
  const { port1, port2 } = new MessageChannel();
  return { a: nodePort(port1), b: nodePort(port2), close: () => (port1.close(), port2.close()) };
}

/** The app page's frame, as the sender check sees it. */
export const APP_FRAME = { url: 'topolab://app/index.html?file=web.topolab.json', parent: null };

/** The repository root, with a trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function newestMtime(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Makes sure dist/electron holds a build of the current sources (electron/ and core/):
 * runs `electron-vite build` when a bundle is missing or older than a source, saying so.
 */
export function ensureShellBuilt(): void {
  const bundles = ['dist/electron/main/index.js', 'dist/electron/main/lab.js', 'dist/electron/preload/index.cjs'].map((file) => REPO_ROOT + file);
  const oldest = Math.min(...bundles.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  const sources = Math.max(newestMtime(join(REPO_ROOT, 'electron')), newestMtime(join(REPO_ROOT, 'core')));
  if (oldest >= sources) return;
  console.log('electron tests: dist/electron is missing or older than its sources; running `electron-vite build` first');
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: REPO_ROOT, stdio: 'pipe' });
}
