import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

// Issue 5: save, reload, and get the same design back.
test('save as, reload, and the same design comes back from the served folder', async ({ editor, page, served }) => {
  await editor.openEditor();
  await editor.drop('vpc', { x: 60, y: 60 });
  await editor.drop('subnet', { x: 100, y: 120 });
  await editor.drop('server', { x: 220, y: 200 });
  await expect(editor.node('web-1')).toBeVisible();
  await expect(editor.byTestId('dirty-indicator')).toBeVisible();

  await page.keyboard.press('Control+s');
  await expect(editor.byTestId('save-as-dialog')).toBeVisible();
  await editor.byTestId('save-as-name').fill('round-trip');
  await editor.byTestId('save-as-confirm').click();
  await expect(editor.byTestId('saved-indicator')).toHaveText('saved');
  await expect(editor.byTestId('file-name')).toHaveText('round-trip.topolab.json');
  await expect(page).toHaveURL(/\?file=round-trip\.topolab\.json$/);
  const saved = await editor.doc();
  // Issue 16: an untitled design takes the name it is saved as (it stayed "Untitled").
  expect(saved.name).toBe('round-trip');
  const onDisk = JSON.parse(await readFile(join(served.dir, 'round-trip.topolab.json'), 'utf8')) as unknown;
  expect(onDisk).toEqual(saved);

  // Reload: ?file= reopens it, identical, clean, with nothing to recover.
  await page.reload();
  await expect(editor.byTestId('app-root')).toHaveAttribute('data-phase', 'ready');
  await expect(editor.node('web-1')).toBeVisible();
  expect(await editor.doc()).toEqual(saved);
  await expect(editor.byTestId('saved-indicator')).toBeVisible();
  await expect(editor.byTestId('recovery-banner')).toHaveCount(0);

  // An edit then Ctrl+S saves to the same file.
  await editor.select('web-1');
  await editor.type('name', 'api');
  await page.getByTestId('canvas').click({ position: { x: 700, y: 620 } });
  await page.keyboard.press('Control+s');
  await expect(editor.byTestId('saved-indicator')).toHaveText('saved');
  const again = JSON.parse(await readFile(join(served.dir, 'round-trip.topolab.json'), 'utf8')) as { nodes: { id: string; name?: string }[] };
  expect(again.nodes.find((n) => n.id === 'web-1')?.name).toBe('api');

  // The open dialog lists it among the served designs, marked recent.
  await page.keyboard.press('Control+o');
  await expect(editor.byTestId('open-file-round-trip.topolab.json')).toContainText('recent');
  await editor.docsScreenshot('open-dialog');
  await editor.byTestId('open-file-two-tier-web.topolab.json').click();
  await expect(editor.node('web-lb')).toBeVisible();
  await expect(editor.byTestId('file-name')).toHaveText('two-tier-web.topolab.json');

  // New design (nothing unsaved, so no question); the empty canvas offers the recent files.
  await page.keyboard.press('Alt+n');
  await expect(editor.byTestId('empty-canvas')).toBeVisible();
  await expect(page).not.toHaveURL(/\?file=/);
  await editor.byTestId('empty-recent').getByRole('button', { name: 'round-trip' }).click();
  await expect(editor.node('web-1')).toContainText('api');
  expect(editor.consoleErrors).toEqual([]);
});

// Issue 5: recover after a simulated crash (reload without saving).
test('unsaved work is offered back after a reload without saving', async ({ editor, page }) => {
  // The page asks before leaving with unsaved work; a crash does not ask, so accept.
  page.on('dialog', (dialog) => void dialog.accept());
  await editor.openEditor({ file: 'cache-in-front.topolab.json' });
  await expect(editor.node('cache')).toBeVisible();
  await editor.select('web');
  await editor.type('name', 'origin-after-edit');
  await expect(editor.byTestId('backup-status')).toHaveAttribute('data-state', 'saved');
  const edited = await editor.doc();

  await page.reload();
  await expect(editor.byTestId('recovery-banner')).toBeVisible();
  await expect(editor.byTestId('recovery-banner')).toContainText('cache-in-front.topolab.json');
  expect((await editor.modelNode('web'))['name']).not.toBe('origin-after-edit');
  await editor.docsScreenshot('recovery');
  await editor.byTestId('recovery-restore').click();
  await expect(editor.byTestId('recovery-banner')).toHaveCount(0);
  expect(await editor.doc()).toEqual(edited);
  await expect(editor.byTestId('dirty-indicator')).toBeVisible();
  await expect(editor.byTestId('file-name')).toHaveText('cache-in-front.topolab.json');

  // Discarding instead: the next reload offers nothing.
  await expect(editor.byTestId('backup-status')).toHaveAttribute('data-state', /saved|idle/);
  await page.reload();
  await expect(editor.byTestId('recovery-banner')).toBeVisible();
  await editor.byTestId('recovery-discard').click();
  await page.reload();
  await expect(editor.byTestId('app-root')).toHaveAttribute('data-phase', 'ready');
  await expect(editor.node('cache')).toBeVisible();
  await expect(editor.byTestId('recovery-banner')).toHaveCount(0);
  expect(editor.consoleErrors).toEqual([]);
});

// The same for a design that was never saved: a fresh start offers it back.
test('an unsaved new design is offered back after a reload', async ({ editor, page }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  await editor.openEditor();
  await editor.drop('vpc', { x: 60, y: 60 });
  await editor.drop('subnet', { x: 100, y: 120 });
  await expect(editor.node('subnet-1')).toBeVisible();
  await expect(editor.byTestId('backup-status')).toHaveAttribute('data-state', 'saved');
  const edited = await editor.doc();
  await page.reload();
  await expect(editor.byTestId('recovery-banner')).toContainText('unsaved design');
  await editor.byTestId('recovery-restore').click();
  expect(await editor.doc()).toEqual(edited);
  await expect(editor.byTestId('file-name')).toHaveText('Untitled');
  await expect(editor.byTestId('dirty-indicator')).toBeVisible();
});

// Issue 5: a broken file shows its problems instead of a half-loaded design.
test('a file that cannot be opened shows why, with a way out', async ({ editor, page }) => {
  await page.goto(`${editor.baseUrl}?file=does-not-exist.topolab.json`);
  await expect(editor.byTestId('load-error')).toBeVisible();
  await expect(editor.byTestId('load-error')).toContainText('does-not-exist.topolab.json');
  await editor.byTestId('load-error-new').click();
  await expect(editor.byTestId('empty-canvas')).toBeVisible();
});
