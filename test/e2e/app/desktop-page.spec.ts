// The page's side of the desktop app's one document path, in Chromium: a stand-in for the
// preload's `window.topolab` relays core methods to `topolab serve` (the same `files.*` the
// desktop's window service answers) and records the shell methods, so the page's reports
// (`app.changed`) and its answers to the close prompt (`app.close` -> `app.closeReply`) are
// checked here too, where the Electron binary is missing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { EditorPage } from './pages/editor.js';

// The stand-in bridge is an init script, which a page keeps: these tests take a page of their own.
test.use({ ownPage: true });

/** Installs the stand-in bridge before the app's scripts run. */
async function asDesktopPage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shellCalls: { method: string; input: unknown }[] = [];
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    const w = window as unknown as Record<string, unknown>;
    w['__shellCalls'] = shellCalls;
    w['__emit'] = (event: string, payload: unknown) => listeners.get(event)?.forEach((listener) => listener(payload));
    w['topolab'] = {
      async call(method: string, input: unknown) {
        if (method.startsWith('app.')) {
          shellCalls.push({ method, input });
          return { result: null };
        }
        const response = await fetch(`/api/call/${encodeURIComponent(method)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
        return response.json();
      },
      subscribe(event: string, listener: (payload: unknown) => void) {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    };
  });
}

const shellCalls = (page: Page, method: string) =>
  page.evaluate((m) => (window as unknown as { __shellCalls: { method: string; input: unknown }[] }).__shellCalls.filter((c) => c.method === m).map((c) => c.input), method);
const askToClose = (page: Page, requestId: number, save: boolean) =>
  page.evaluate(([id, s]) => (window as unknown as { __emit(event: string, payload: unknown): void }).__emit('app.close', { requestId: id, save: s }), [requestId, save] as const);

test('reports its name and dirty state to the shell, and Save in the close prompt saves through files.write', async ({ page, served }) => {
  await asDesktopPage(page);
  const editor = new EditorPage(page, served.url);
  await editor.openEditor({ file: 'cache-in-front.topolab.json' });
  await expect.poll(() => shellCalls(page, 'app.changed')).toEqual([{ dirty: false, name: 'cache-in-front.topolab.json' }]);
  await editor.select('web');
  await editor.type('name', 'origin-saved-on-close');
  await expect.poll(() => shellCalls(page, 'app.changed')).toContainEqual({ dirty: true, name: 'cache-in-front.topolab.json' });

  await askToClose(page, 7, true);
  await expect.poll(() => shellCalls(page, 'app.closeReply')).toEqual([{ requestId: 7, close: true }]);
  const saved = JSON.parse(await readFile(join(served.dir, 'cache-in-front.topolab.json'), 'utf8')) as { nodes: { id: string; name?: string }[] };
  expect(saved.nodes.find((n) => n.id === 'web')?.name).toBe('origin-saved-on-close');
  expect(await shellCalls(page, 'app.changed')).toContainEqual({ dirty: false, name: 'cache-in-front.topolab.json' });
  expect(editor.consoleErrors).toEqual([]);
});

test('Save in the close prompt asks a new design for a name; cancelling keeps the window open', async ({ page, served }) => {
  await asDesktopPage(page);
  const editor = new EditorPage(page, served.url);
  await editor.openEditor();
  await editor.drop('vpc', { x: 60, y: 60 });
  await expect(editor.byTestId('dirty-indicator')).toBeVisible();

  await askToClose(page, 1, true);
  await expect(editor.byTestId('save-as-dialog')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => shellCalls(page, 'app.closeReply')).toEqual([{ requestId: 1, close: false }]);

  await askToClose(page, 2, true);
  await editor.byTestId('save-as-name').fill('closing');
  await editor.byTestId('save-as-confirm').click();
  await expect.poll(() => shellCalls(page, 'app.closeReply')).toEqual([
    { requestId: 1, close: false },
    { requestId: 2, close: true },
  ]);
  expect(JSON.parse(await readFile(join(served.dir, 'closing.topolab.json'), 'utf8'))).toEqual(await editor.doc());
  expect(await shellCalls(page, 'app.changed')).toContainEqual({ dirty: false, name: 'closing.topolab.json' });
});

test("backs up through files.backup only, and Don't Save in the close prompt drops the backup", async ({ page, served }) => {
  await asDesktopPage(page);
  const editor = new EditorPage(page, served.url);
  await editor.openEditor({ file: 'cache-in-front.topolab.json' });
  await editor.select('web');
  await editor.type('name', 'never-saved');
  await expect(editor.byTestId('backup-status')).toHaveAttribute('data-state', 'saved');
  expect(await served.call('files.backups', {})).toEqual({ backups: [expect.objectContaining({ key: 'cache-in-front.topolab.json', name: 'cache-in-front.topolab.json' })] });
  // One backup location: nothing in the page's own storage.
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('topolab:backup:')))).toEqual([]);

  await askToClose(page, 3, false);
  await expect.poll(() => shellCalls(page, 'app.closeReply')).toEqual([{ requestId: 3, close: true }]);
  expect(await served.call('files.backups', {})).toEqual({ backups: [] });
  // The window is closing: no backup is written after the one it dropped.
  await page.evaluate(() => (window as unknown as { __topolab: { session: { backupNow(): Promise<void> } } }).__topolab.session.backupNow());
  expect(await served.call('files.backups', {})).toEqual({ backups: [] });
});
