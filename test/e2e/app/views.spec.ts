import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startServe } from '../support/index.js';
import { expect, test } from './fixtures.js';
import { EditorPage } from './pages/editor.js';

// The main views, for the README, and the editing comforts (templates, copy/paste,
// duplicate, multi-select, align, auto-layout, themes, shortcuts sheet).
test('templates, editing comforts, themes and the shortcuts sheet', async ({ page }) => {
  // A folder of its own: the README screenshots must not show other tests' unsaved work.
  const served = await startServe();
  const editor = new EditorPage(page, served.url);
  try {
    await runViews(editor);
  } finally {
    await served.stop();
  }
});

async function runViews(editor: EditorPage): Promise<void> {
  const page = editor.page;
  await editor.openEditor();
  // Template gallery: every example, drawn; picking one starts an unsaved copy.
  await editor.byTestId('empty-templates').click();
  await expect(editor.byTestId('template-gallery')).toBeVisible();
  await expect(editor.byTestId('template-two-tier-web.topolab.json')).toBeVisible();
  // One card per example the renderer bundles (examples/*.topolab.json).
  const examples = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.topolab.json'));
  await expect(page.locator('.template-card')).toHaveCount(examples.length);
  await editor.docsScreenshot('templates');
  await editor.byTestId('template-two-tier-web.topolab.json').click();
  await expect(editor.node('web-lb')).toBeVisible();
  await expect(editor.byTestId('dirty-indicator')).toBeVisible();
  await editor.validated();
  await editor.select('web-lb');
  await editor.docsScreenshot('overview');

  // Copy and paste a subnet with its contents: fresh ids, no copied addresses.
  await editor.select('private-a');
  const before = (await editor.doc()).nodes.length;
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect.poll(async () => (await editor.doc()).nodes.length).toBe(before + 2);
  const pasted = (await editor.doc()).nodes.slice(before);
  expect(pasted.map((n) => n.kind)).toEqual(['subnet', 'server']);
  expect(pasted[1]).toMatchObject({ parent: pasted[0]?.id });
  expect(pasted[1]).not.toHaveProperty('ip');
  // Duplicate, then undo both.
  await page.keyboard.press('Control+d');
  await expect.poll(async () => (await editor.doc()).nodes.length).toBe(before + 4);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await editor.doc()).nodes.length).toBe(before);

  // The context menu runs the same commands.
  await editor.node('app-b').click({ button: 'right' });
  await expect(editor.byTestId('context-menu')).toContainText('Trace from here');
  await editor.byTestId('context-edit.duplicate').click();
  await expect.poll(async () => (await editor.doc()).nodes.length).toBe(before + 1);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await editor.doc()).nodes.length).toBe(before);

  // Multi-select with Ctrl+click and align the tops.
  await editor.node('app-a').click();
  await editor.node('nat').click({ modifiers: ['Control'] });
  await expect(editor.byTestId('inspector-multi')).toContainText('2 nodes selected');
  await editor.byTestId('align-top').click();
  const rects = await page.evaluate(() => ['app-a', 'nat'].map((id) => document.querySelector(`[data-testid="node-${id}"]`)?.getBoundingClientRect().top));
  expect(Math.abs((rects[0] ?? 0) - (rects[1] ?? 1))).toBeLessThan(1);
  await page.keyboard.press('Control+z');

  // Auto-layout (ELK) moves nodes, as one undoable step.
  const layoutBefore = (await editor.doc()).layout;
  await page.keyboard.press('Shift+L');
  await expect.poll(async () => JSON.stringify((await editor.doc()).layout) !== JSON.stringify(layoutBefore)).toBe(true);
  await page.keyboard.press('Control+z');
  expect((await editor.doc()).layout).toEqual(layoutBefore);

  // Dark theme, remembered across reloads.
  await editor.command('view.theme');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('f');
  await editor.settleViewport();
  await editor.docsScreenshot('overview-dark');
  const theme = await page.evaluate(() => localStorage.getItem('topolab:settings'));
  expect(theme).toContain('"theme":"dark"');

  // The shortcuts sheet lists every command with a key.
  await page.keyboard.press('?');
  await expect(editor.byTestId('help-sheet')).toBeVisible();
  await expect(editor.byTestId('shortcut-edit.undo')).toContainText('Ctrl+Z');
  await editor.docsScreenshot('shortcuts');
  await page.keyboard.press('Escape');
  await expect(editor.byTestId('help-sheet')).toHaveCount(0);
  expect(editor.consoleErrors).toEqual([]);
}
