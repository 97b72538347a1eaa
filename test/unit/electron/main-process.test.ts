/**
 * Runs the real main process (electron/main/index.ts) against a fake Electron: the wiring
 * between windows, the bridge, the pages' `files.*` path, menus and lab processes, which
 * the module tests cannot see. The Playwright `_electron` tests cover the same paths with
 * real Electron.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createService } from '../../../core/api/index.js';
import { backupsFolderFor } from '../../../electron/main/backup-folders.js';
import { findMenuItem } from '../../../electron/main/menu.js';
import { waitUntil } from '../../support/wait.js';
import { answers, electronEvent, fake, FakeBrowserWindow } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

let dir: string;
let design: string;
let userData: string;
/** What the main process logged (console.log is captured to keep the test output quiet). */
const logged: string[] = [];

const fromPage = (window: FakeBrowserWindow, url = window.url) => ({ sender: window.webContents, senderFrame: { url, parent: null } });
const call = (window: FakeBrowserWindow, method: string, input: unknown, url?: string) =>
  fake.ipcHandlers.get('topolab:call')?.(fromPage(window, url) as never, method as never, input as never) as Promise<{ result?: unknown; error?: { code: string } }>;
const frame = (window: FakeBrowserWindow, data: unknown) => fake.ipcListeners.get('topolab:events')?.(fromPage(window) as never, data as never);
const clickMenu = (id: string) => ((findMenuItem((fake.menu?.template ?? []) as MenuItemConstructorOptions[], id)?.click ?? (() => { throw new Error(`no menu item ${id}`); })) as () => void)();
const windowAt = (query: string) => {
  const window = FakeBrowserWindow.all.find((w) => w.url === `topolab://app/index.html${query}`);
  if (!window) throw new Error(`no window at ${query}: ${FakeBrowserWindow.all.map((w) => w.url).join(', ')}`);
  return window;
};
/** The `app.close` requests the shell sent a page. */
const closeRequests = (window: FakeBrowserWindow) =>
  window.webContents.sent.flatMap(([, payload]) => {
    const framePayload = payload as { event?: string; payload?: { requestId: number; save: boolean } };
    return framePayload.event === 'app.close' && framePayload.payload ? [framePayload.payload] : [];
  });

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
  dir = await mkdtemp(join(tmpdir(), 'topolab-main-process-'));
  design = join(dir, 'web.topolab.json');
  const example = await readFile(new URL('../../../examples/two-tier-web.topolab.json', import.meta.url), 'utf8');
  await writeFile(design, example);
  await writeFile(join(dir, 'draft.topolab.json'), example);
  userData = join(dir, 'user-data');
  // The previous run crashed with unsaved work in draft.topolab.json and in a new design.
  const previous = createService({ filesRoot: dir, backupsRoot: backupsFolderFor(join(userData, 'backups'), dir) });
  await previous.call('files.backup', { key: 'draft.topolab.json', name: 'draft.topolab.json', text: '{"unsaved":"draft"}' });
  await previous.call('files.backup', { key: 'untitled', text: '{"unsaved":"new"}' });
  await previous.close();
  process.env.TOPOLAB_USER_DATA = userData;
  fake.app.setPath('documents', dir);
  const argv = process.argv;
  process.argv = ['electron', '/app', design];
  try {
    await import('../../../electron/main/index.js');
  } finally {
    process.argv = argv;
  }
  fake.app.readyResolve?.();
  await waitUntil(() => FakeBrowserWindow.all.length === 3, 'the recovered windows and the command-line design open');
}, 30_000);

afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.TOPOLAB_USER_DATA;
  await rm(dir, { recursive: true, force: true });
});

describe('the main process (fake Electron)', () => {
  it('starts sandboxed, with the app scheme and the two bridge channels', () => {
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'topolab', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect([...fake.protocolHandlers.keys()]).toEqual(['topolab']);
    expect([...fake.ipcHandlers.keys()]).toEqual(['topolab:call']);
    expect([...fake.ipcListeners.keys()]).toEqual(['topolab:events']);
    expect(fake.permissionHandler).toBeDefined();
  });

  it('opens the design from the command line in a secure window of its own', () => {
    const web = windowAt('?file=web.topolab.json');
    expect(web.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: expect.stringMatching(/electron\/preload\/index\.cjs$/) });
    expect(web.title).toBe('web.topolab.json — Topolab');
    expect(web.shown).toBe(true);
    expect(fake.app.recentDocuments).toEqual(expect.arrayContaining([design]));
  });

  it("reopens the designs with unsaved work after a crash; each page finds its work through files.* in its window's service", async () => {
    const draft = windowAt('?file=draft.topolab.json');
    const untitled = windowAt('');
    expect(untitled.title).toBe('Untitled — Topolab');
    expect(await call(draft, 'files.backups', {})).toEqual({ result: { backups: expect.arrayContaining([expect.objectContaining({ key: 'draft.topolab.json' }), expect.objectContaining({ key: 'untitled' })]) } });
    expect(await call(draft, 'files.restore', { key: 'draft.topolab.json' })).toMatchObject({ result: { text: '{"unsaved":"draft"}' } });
    expect(await call(untitled, 'files.restore', { key: 'untitled' })).toMatchObject({ result: { text: '{"unsaved":"new"}' } });
    // No native recovery prompt: each page offers its work back itself.
    expect(answers.asked).toEqual([]);
  });

  it('answers its page over the bridge, starting a lab process for core methods, and refuses other senders', async () => {
    const web = windowAt('?file=web.topolab.json');
    const started = fake.utilityProcesses.length;
    expect(await call(web, 'files.read', { name: 'web.topolab.json' })).toMatchObject({ result: { name: 'web.topolab.json', text: await readFile(design, 'utf8') } });
    expect(fake.utilityProcesses).toHaveLength(started + 1);
    expect(fake.utilityProcesses.at(-1)?.entry).toMatch(/lab\.js$/);
    expect(await call(web, 'files.read', { name: '../escape.topolab.json' })).toMatchObject({ error: { code: 'forbidden' } });
    expect(await call(web, 'cidr.info', { cidr: 7 })).toMatchObject({ error: { code: 'bad-input' } });
    expect(await call(web, 'app.changed', { dirty: false, name: 'web.topolab.json' }, 'https://evil.example/')).toMatchObject({ error: { code: 'forbidden' } });
    expect(logged).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\[topolab\] rejected input of cidr\.info/), expect.stringMatching(/^\[topolab\] refused a call of app\.changed: the page "https:\/\/evil\.example\/" is not the app/)]),
    );
  });

  it('guards the window: navigation and pop-ups refused, web links to the system browser', () => {
    const web = windowAt('?file=web.topolab.json');
    const navigation = electronEvent();
    web.webContents.emit('will-navigate', navigation, 'https://example.com/');
    expect(navigation.defaultPrevented).toBe(true);
    expect(web.webContents.openHandler?.({ url: 'https://example.com/popup' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://example.com/', 'https://example.com/popup']);
  });

  it('sends menu commands to the focused (or last focused) page and acknowledges its app.menu subscription', () => {
    const web = windowAt('?file=web.topolab.json');
    web.focus();
    frame(web, { subscribe: 'app.menu' });
    FakeBrowserWindow.focused = undefined; // focus on the menu bar: the last focused window gets the command
    clickMenu('lab.launch');
    expect(web.webContents.sent).toEqual(
      expect.arrayContaining([
        ['topolab:events', { subscribed: 'app.menu' }],
        ['topolab:events', { event: 'app.menu', payload: { command: 'lab.launch' } }],
      ]),
    );
  });

  it('shows what the page reports, asks before closing a dirty window, and lets the page save through files.write', async () => {
    const web = windowAt('?file=web.topolab.json');
    frame(web, { subscribe: 'app.close' });
    expect(await call(web, 'app.changed', { dirty: true, name: 'web.topolab.json' })).toEqual({ result: null });
    expect(web.title).toBe('• web.topolab.json — Topolab');
    expect(web.edited).toBe(true);

    answers.messageBox = 2; // Cancel
    web.close();
    await waitUntil(() => answers.asked.length === 1, 'the close prompt');
    expect(answers.asked).toEqual(['Save the changes to web.topolab.json?']);
    expect(closeRequests(web)).toEqual([]);
    expect(web.destroyed).toBe(false);

    answers.messageBox = 0; // Save: the page saves, then answers
    web.close();
    await waitUntil(() => closeRequests(web).length === 1, 'the page is asked to save');
    const [request] = closeRequests(web);
    expect(request).toEqual({ requestId: expect.any(Number), save: true });
    expect(await call(web, 'files.write', { name: 'web.topolab.json', text: '{"edited":2}' })).toHaveProperty('result');
    await call(web, 'app.changed', { dirty: false, name: 'web.topolab.json' });
    await call(web, 'app.closeReply', { requestId: request?.requestId, close: true });
    await waitUntil(() => web.destroyed, 'the window closes');
    expect(await readFile(design, 'utf8')).toBe('{"edited":2}');
  });

  it("Don't Save lets the page drop its backup, then closes", async () => {
    const draft = windowAt('?file=draft.topolab.json');
    frame(draft, { subscribe: 'app.close' });
    await call(draft, 'app.changed', { dirty: true, name: 'draft.topolab.json' });
    answers.messageBox = 1; // Don't Save
    draft.close();
    await waitUntil(() => closeRequests(draft).length === 1, "the page is told Don't Save");
    const [request] = closeRequests(draft);
    expect(request?.save).toBe(false);
    expect(await call(draft, 'files.discardBackup', { key: 'draft.topolab.json' })).toEqual({ result: { discarded: true } });
    await call(draft, 'app.closeReply', { requestId: request?.requestId, close: true });
    await waitUntil(() => draft.destroyed, 'the window closes');
    expect(await createService({ backupsRoot: backupsFolderFor(join(userData, 'backups'), dir) }).call('files.backups', {})).toEqual({ backups: [expect.objectContaining({ key: 'untitled' })] });
  });

  it("asks when the page's own beforeunload objects, and a Cancel stops a quit", async () => {
    const untitled = windowAt('');
    untitled.pageObjectsToUnload = true;
    answers.asked.length = 0;
    answers.messageBoxSync = 1; // Cancel
    untitled.close();
    expect(answers.asked).toEqual(['Close Untitled without saving?']);
    expect(untitled.destroyed).toBe(false);

    fake.app.quit();
    await waitUntil(() => answers.asked.length === 2, 'the quit asks the page window');
    await new Promise((resolve) => setImmediate(resolve));
    expect(untitled.destroyed).toBe(false);
    expect(fake.app.exited).toBe(false);
    answers.messageBoxSync = 0; // Don't Save: the next quit goes through
  });

  it('quits only after every lab process has stopped, saving the window state', async () => {
    const untitled = windowAt('');
    expect(await call(untitled, 'cidr.info', { cidr: '10.0.0.0/8' })).toHaveProperty('result');
    const running = fake.utilityProcesses.filter((process) => process.pid !== undefined);
    expect(running).toHaveLength(1); // the untitled window's: the closed windows' labs have stopped
    fake.app.quit();
    await waitUntil(() => fake.app.exited, 'the app quits');
    expect(running[0]?.pid).toBeUndefined();
    expect(untitled.destroyed).toBe(true);
    const state = JSON.parse(await readFile(join(userData, 'window-state.json'), 'utf8')) as { documents: Record<string, unknown> };
    expect(state.documents[design]).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });
});
