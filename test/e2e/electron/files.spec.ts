import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { clickMenu, launchDesktop, skipWithoutElectron, type Desktop } from './desktop.js';

skipWithoutElectron();

type Bridge = { call(method: string, input: unknown): Promise<unknown> };
const call = (page: Page, method: string, input: unknown) => page.evaluate(([m, i]) => (window as unknown as { topolab: Bridge }).topolab.call(m as string, i), [method, input] as const);

let desktop: Desktop;
let dir: string;
test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topolab-desktop-files-'));
});
test.afterEach(async () => {
  await desktop?.close();
  await rm(dir, { recursive: true, force: true });
});

test('File > Open with the dialog stubbed opens the design in its own window', async () => {
  const design = join(dir, 'web.topolab.json');
  await writeFile(design, await readFile(new URL('../../../examples/two-tier-web.topolab.json', import.meta.url), 'utf8'));
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
  expect(await call(page, 'app.document', {})).toMatchObject({ result: { path: design, name: 'web.topolab.json', dirty: false } });
  await expect.poll(() => page.title()).toContain('web.topolab.json');
});

test('Save As with the dialog stubbed writes the file atomically and clears the dirty state', async () => {
  desktop = await launchDesktop();
  const page = await desktop.firstWindow();
  const target = join(dir, 'saved.topolab.json');
  await desktop.app.evaluate(({ dialog }, path) => {
    dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog;
  }, target);
  await call(page, 'app.changed', { dirty: true, text: '{"schema":"topolab/1"}' });
  expect(await call(page, 'app.save', { text: '{"schema":"topolab/1","v":2}', as: true })).toEqual({ result: { saved: true, path: target, name: 'saved.topolab.json' } });
  expect(await readFile(target, 'utf8')).toBe('{"schema":"topolab/1","v":2}');
  expect(await call(page, 'app.document', {})).toMatchObject({ result: { path: target, dirty: false } });
});

test('closing with unsaved changes asks; Cancel keeps the window', async () => {
  desktop = await launchDesktop();
  const page = await desktop.firstWindow();
  await call(page, 'app.changed', { dirty: true, text: '{}' });
  await desktop.app.evaluate(({ dialog }) => {
    const asked: string[] = [];
    (globalThis as { __asked?: string[] }).__asked = asked;
    dialog.showMessageBox = (async (...args: unknown[]) => {
      const options = args.at(-1) as { message: string };
      asked.push(options.message);
      return { response: 2, checkboxChecked: false };
    }) as typeof dialog.showMessageBox;
  });
  await clickMenu(desktop.app, 'file.close');
  await expect.poll(() => desktop.app.evaluate(() => (globalThis as { __asked?: string[] }).__asked)).toEqual(['Save the changes to Untitled?']);
  expect(desktop.app.windows()).toHaveLength(1);
});
