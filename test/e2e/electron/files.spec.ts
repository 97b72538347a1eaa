import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { clickMenu, launchDesktop, skipWithoutElectron, type Desktop } from './desktop.js';

skipWithoutElectron();

let desktop: Desktop | undefined;
let dir: string;
test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topolab-desktop-files-'));
});
test.afterEach(async () => {
  await desktop?.close();
  desktop = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function copyExample(name = 'web.topolab.json'): Promise<string> {
  const design = join(dir, name);
  await writeFile(design, await readFile(new URL('../../../examples/two-tier-web.topolab.json', import.meta.url), 'utf8'));
  return design;
}

/** Renames the design's `app-a` server in the inspector: one edit, as a user makes it. */
async function renameServer(page: Page, name: string): Promise<void> {
  await page.getByTestId('node-app-a').click();
  await expect(page.getByTestId('inspector')).toHaveAttribute('data-node', 'app-a');
  const field = page.getByTestId('input-name');
  await field.fill('');
  await field.pressSequentially(name);
}

test('File > Open with the dialog stubbed opens the design in its own window, read by the page through files.read', async () => {
  const design = await copyExample();
  desktop = await launchDesktop();
  await desktop.firstWindow();
  await desktop.app.evaluate(({ dialog }, path) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [path] })) as typeof dialog.showOpenDialog;
  }, design);
  const opened = desktop.app.waitForEvent('window');
  await clickMenu(desktop.app, 'file.open');
  const page = await opened;
  await page.waitForLoadState('domcontentloaded');
  expect(page.url()).toContain('?file=web.topolab.json');
  await expect(page.getByTestId('node-app-a')).toBeVisible();
  await expect.poll(() => page.title()).toContain('web.topolab.json');
});

test('File > Save saves through the page (files.write, atomic) and the title drops the dirty marker', async () => {
  const design = await copyExample();
  desktop = await launchDesktop([design]);
  const page = await desktop.firstWindow();
  await expect(page.getByTestId('app-root')).toHaveAttribute('data-phase', 'ready');
  await renameServer(page, 'saved-from-menu');
  await expect.poll(() => desktop?.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toBe('• web.topolab.json — Topolab');
  await clickMenu(desktop.app, 'file.save');
  await expect.poll(async () => JSON.parse(await readFile(design, 'utf8')).nodes.find((n: { id: string }) => n.id === 'app-a')?.name).toBe('saved-from-menu');
  await expect.poll(() => desktop?.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toBe('web.topolab.json — Topolab');
});

test('closing with unsaved changes asks; Cancel keeps the window, Save lets the page save and closes it', async () => {
  const design = await copyExample();
  desktop = await launchDesktop([design]);
  const page = await desktop.firstWindow();
  await expect(page.getByTestId('app-root')).toHaveAttribute('data-phase', 'ready');
  await renameServer(page, 'saved-on-close');
  await expect.poll(() => desktop?.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toBe('• web.topolab.json — Topolab');
  await desktop.app.evaluate(({ dialog }) => {
    const asked: string[] = [];
    const state = globalThis as { __asked?: string[]; __answer?: number };
    state.__asked = asked;
    state.__answer = 2; // Cancel
    dialog.showMessageBox = (async (...args: unknown[]) => {
      asked.push((args.at(-1) as { message: string }).message);
      return { response: state.__answer ?? 2, checkboxChecked: false };
    }) as typeof dialog.showMessageBox;
  });
  await clickMenu(desktop.app, 'file.close');
  await expect.poll(() => desktop?.app.evaluate(() => (globalThis as { __asked?: string[] }).__asked)).toEqual(['Save the changes to web.topolab.json?']);
  expect(desktop.app.windows()).toHaveLength(1);

  await desktop.app.evaluate(() => void ((globalThis as { __answer?: number }).__answer = 0)); // Save
  const closed = page.waitForEvent('close');
  await clickMenu(desktop.app, 'file.close');
  await closed;
  expect(JSON.parse(await readFile(design, 'utf8')).nodes.find((n: { id: string }) => n.id === 'app-a')?.name).toBe('saved-on-close');
});

test('after a crash the next start reopens the design, and its page offers the unsaved work back', async () => {
  const design = await copyExample();
  const userData = await mkdtemp(join(tmpdir(), 'topolab-desktop-crash-'));
  try {
    desktop = await launchDesktop([design], { userData });
    const page = await desktop.firstWindow();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-phase', 'ready');
    await renameServer(page, 'unsaved-before-crash');
    await expect(page.getByTestId('backup-status')).toHaveAttribute('data-state', 'saved');
    desktop.app.process().kill('SIGKILL');
    await desktop.close();

    desktop = await launchDesktop([], { userData });
    const next = await desktop.firstWindow();
    expect(next.url()).toContain('?file=web.topolab.json');
    await expect(next.getByTestId('recovery-banner')).toContainText('web.topolab.json');
    await next.getByTestId('recovery-restore').click();
    await expect(next.getByTestId('dirty-indicator')).toBeVisible();
    expect(await next.evaluate(() => (window as unknown as { __topolab: { editor: { doc: { nodes: { id: string; name?: string }[] } } } }).__topolab.editor.doc.nodes.find((n) => n.id === 'app-a')?.name)).toBe('unsaved-before-crash');
    expect(JSON.parse(await readFile(design, 'utf8')).nodes.find((n: { id: string }) => n.id === 'app-a')?.name).not.toBe('unsaved-before-crash');
  } finally {
    await rm(userData, { recursive: true, force: true });
  }
});
