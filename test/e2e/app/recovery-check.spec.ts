import type { Page, Route } from '@playwright/test';
import { expect, test } from '../support/index.js';
import { EditorPage } from './pages/editor.js';

/**
 * The app is `ready` only once it knows whether there is unsaved work to offer. When the
 * service that answers that (`files.backups`) hangs or fails, the app must still open, say
 * that the look for unsaved work failed, and lose nothing: neither the earlier work the
 * service keeps (left as it is) nor what the user draws now (backed up in the browser and
 * offered after a reload). At 1280x800.
 */
test.use({ viewport: { width: 1280, height: 800 } });

const EARLIER = JSON.stringify({ schema: 'topolab/1', name: 'earlier work', nodes: [{ id: 'earlier-vpc', kind: 'vpc', cidr: '10.9.0.0/16' }], edges: [], layout: {} });

/** Holds every `files.backups` call unanswered (a hung service), until the page is closed. */
async function hangBackupList(page: Page): Promise<Route[]> {
  const held: Route[] = [];
  await page.route('**/api/call/files.backups', (route) => void held.push(route));
  return held;
}

test('a service that never answers the look for unsaved work: the app opens, says so, keeps the earlier backup and backs up new work', async ({ page, served }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  await served.call('files.backup', { key: 'untitled', text: EARLIER });
  const held = await hangBackupList(page);
  const editor = new EditorPage(page, served.url);
  await editor.open();
  // Bounded: ready within the check's 5 s (and the page's start-up), not loading forever.
  await expect(editor.byTestId('app-root')).toHaveAttribute('data-phase', 'ready', { timeout: 20_000 });
  expect(held.length).toBe(1);
  const notice = editor.byTestId('recovery-check-failed');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Could not check for unsaved work');
  await expect(notice).toContainText('did not answer within 5 s');
  await expect(editor.byTestId('recovery-banner')).toHaveCount(0);

  // The user works; the work is backed up (in the browser), and the service's unchecked backup is not replaced.
  await editor.drop('vpc', { x: 60, y: 60 });
  await expect(editor.node('vpc-1')).toBeVisible();
  await expect(editor.byTestId('backup-status')).toHaveAttribute('data-state', 'saved');
  const drawn = await editor.doc();
  expect(((await served.call('files.restore', { key: 'untitled' })) as { text: string }).text).toBe(EARLIER);

  // The service answers again: a reload offers what was drawn, and the earlier backup is still there.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.reload();
  await expect(editor.byTestId('app-root')).toHaveAttribute('data-phase', 'ready');
  await expect(editor.byTestId('recovery-check-failed')).toHaveCount(0);
  await expect(editor.byTestId('recovery-banner')).toContainText('unsaved design');
  await editor.byTestId('recovery-restore').click();
  expect(await editor.doc()).toEqual(drawn);
  expect(((await served.call('files.restore', { key: 'untitled' })) as { text: string }).text).toBe(EARLIER);
  expect(editor.consoleErrors).toEqual([]);
});

test('a service that fails the look for unsaved work: the app opens on the file and says why', async ({ page, served }) => {
  await page.route('**/api/call/files.backups', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ error: { code: 'failed', message: 'the backup folder cannot be read' } }) }),
  );
  const editor = new EditorPage(page, served.url);
  await editor.openEditor({ file: 'cache-in-front.topolab.json' });
  await expect(editor.node('cache')).toBeVisible();
  await expect(editor.byTestId('recovery-check-failed')).toContainText('the backup folder cannot be read');
  await editor.byTestId('recovery-check-dismiss').click();
  await expect(editor.byTestId('recovery-check-failed')).toHaveCount(0);
  expect(editor.consoleErrors).toEqual([]);
});
