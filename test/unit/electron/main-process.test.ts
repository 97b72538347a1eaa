/**
 * Runs the real main process (electron/main/index.ts) against a fake Electron: the wiring
 * between windows, the bridge, documents, menus and lab processes, which the module tests
 * cannot see. The Playwright `_electron` tests cover the same paths with real Electron.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findMenuItem } from '../../../electron/main/menu.js';
import { waitUntil } from '../../support/wait.js';
import { answers, electronEvent, fake, FakeBrowserWindow } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

let dir: string;
let design: string;
let first: FakeBrowserWindow;
/** What the main process logged (console.log is captured to keep the test output quiet). */
const logged: string[] = [];

const fromPage = (window: FakeBrowserWindow, url = window.url) => ({ sender: window.webContents, senderFrame: { url, parent: null } });
const call = (window: FakeBrowserWindow, method: string, input: unknown, url?: string) => fake.ipcHandlers.get('topolab:call')?.(fromPage(window, url) as never, method as never, input as never) as Promise<unknown>;
const clickMenu = (id: string) => ((findMenuItem((fake.menu?.template ?? []) as MenuItemConstructorOptions[], id)?.click ?? (() => { throw new Error(`no menu item ${id}`); })) as () => void)();

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
  dir = await mkdtemp(join(tmpdir(), 'topolab-main-process-'));
  design = join(dir, 'web.topolab.json');
  await writeFile(design, await readFile(new URL('../../../examples/two-tier-web.topolab.json', import.meta.url), 'utf8'));
  process.env.TOPOLAB_USER_DATA = join(dir, 'user-data');
  fake.app.setPath('documents', dir);
  const argv = process.argv;
  process.argv = ['electron', '/app', design];
  try {
    await import('../../../electron/main/index.js');
  } finally {
    process.argv = argv;
  }
  fake.app.readyResolve?.();
  await waitUntil(() => FakeBrowserWindow.all.length === 1, 'the first window opens');
  first = FakeBrowserWindow.all[0] as FakeBrowserWindow;
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
    expect(first.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: expect.stringMatching(/electron\/preload\/index\.cjs$/) });
    expect(first.url).toBe('topolab://app/index.html?file=web.topolab.json');
    expect(first.title).toBe('web.topolab.json — Topolab');
    expect(first.shown).toBe(true);
    expect(fake.app.recentDocuments).toEqual([design]);
  });

  it('answers its page over the bridge, starting a lab process for core methods, and refuses other senders', async () => {
    const document = (await call(first, 'app.document', {})) as { result: { path: string; text: string } };
    expect(document.result.path).toBe(design);
    expect(document.result.text).toBe(await readFile(design, 'utf8'));
    expect(fake.utilityProcesses).toHaveLength(0);
    expect(await call(first, 'cidr.info', { cidr: '10.0.0.0/16' })).toMatchObject({ result: { ok: true } });
    expect(fake.utilityProcesses).toHaveLength(1);
    expect(fake.utilityProcesses[0]?.entry).toMatch(/lab\.js$/);
    expect(await call(first, 'cidr.info', { cidr: 7 })).toMatchObject({ error: { code: 'bad-input' } });
    expect(await call(first, 'app.document', {}, 'https://evil.example/')).toMatchObject({ error: { code: 'forbidden' } });
    expect(logged).toEqual(expect.arrayContaining([expect.stringMatching(/^\[topolab\] rejected input of cidr\.info/), expect.stringMatching(/^\[topolab\] refused a call of app\.document: the page "https:\/\/evil\.example\/" is not the app/)]));
  });

  it('guards the window: navigation and pop-ups refused, web links to the system browser', () => {
    const navigation = electronEvent();
    first.webContents.emit('will-navigate', navigation, 'https://example.com/');
    expect(navigation.defaultPrevented).toBe(true);
    expect(first.webContents.openHandler?.({ url: 'https://example.com/popup' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://example.com/', 'https://example.com/popup']);
  });

  it('sends menu commands to the focused (or last focused) page and acknowledges its app.menu subscription', () => {
    fake.ipcListeners.get('topolab:events')?.(fromPage(first) as never, { subscribe: 'app.menu' } as never);
    FakeBrowserWindow.focused = undefined; // focus on the menu bar: the last focused window gets the command
    clickMenu('lab.launch');
    expect(first.webContents.sent).toEqual(
      expect.arrayContaining([
        ['topolab:events', { subscribed: 'app.menu' }],
        ['topolab:events', { event: 'app.menu', payload: { command: 'lab.launch' } }],
      ]),
    );
  });

  it('tracks edits, saves atomically, and asks before closing a dirty window', async () => {
    await call(first, 'app.changed', { dirty: true, text: '{"edited":1}' });
    expect(first.title).toBe('• web.topolab.json — Topolab');
    expect(first.edited).toBe(true);
    expect(await call(first, 'app.save', { text: '{"edited":2}' })).toEqual({ result: { saved: true, path: design, name: 'web.topolab.json' } });
    expect(await readFile(design, 'utf8')).toBe('{"edited":2}');
    expect(first.edited).toBe(false);

    clickMenu('file.new'); // a second window keeps the app running once the first closes
    await waitUntil(() => FakeBrowserWindow.all.length === 2, 'the new window opens');

    await call(first, 'app.changed', { dirty: true, text: '{"edited":3}' });
    answers.messageBox = 2; // Cancel
    first.close();
    await waitUntil(() => answers.asked.length === 1, 'the close prompt');
    expect(answers.asked).toEqual(['Save the changes to web.topolab.json?']);
    expect(first.destroyed).toBe(false);

    answers.messageBox = 1; // Don't Save
    first.close();
    await waitUntil(() => first.destroyed, 'the window closes');
    await waitUntil(() => fake.utilityProcesses[0]?.pid === undefined, "the window's lab process exits");
    expect(await readFile(design, 'utf8')).toBe('{"edited":2}');
  });

  it("asks when the page's own beforeunload objects, and a Cancel stops a quit", async () => {
    const second = FakeBrowserWindow.all[1] as FakeBrowserWindow;
    second.pageObjectsToUnload = true;
    answers.asked.length = 0;
    answers.messageBoxSync = 1; // Cancel
    second.close();
    expect(answers.asked).toEqual(['Close Untitled without saving?']);
    expect(second.destroyed).toBe(false);

    fake.app.quit();
    await waitUntil(() => answers.asked.length === 2, 'the quit asks the page window');
    await new Promise((resolve) => setImmediate(resolve));
    expect(second.destroyed).toBe(false);
    expect(fake.app.exited).toBe(false);
    answers.messageBoxSync = 0; // Don't Save: the next quit goes through
  });

  it('quits only after every lab process has stopped, saving the window state', async () => {
    const second = FakeBrowserWindow.all[1] as FakeBrowserWindow;
    expect(second.url).toBe('topolab://app/index.html');
    expect(await call(second, 'cidr.info', { cidr: '10.0.0.0/8' })).toHaveProperty('result');
    const lab = fake.utilityProcesses[1];
    expect(lab?.pid).toBeDefined();
    fake.app.quit();
    await waitUntil(() => fake.app.exited, 'the app quits');
    expect(lab?.pid).toBeUndefined();
    expect(second.destroyed).toBe(true);
    const state = JSON.parse(await readFile(join(dir, 'user-data', 'window-state.json'), 'utf8')) as { documents: Record<string, unknown> };
    expect(state.documents[design]).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });
});
