import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

// Issue 16, "the page overflows sideways": at 1280x800 and 1024x768 nothing leaves the
// window; the toolbar folds (labels, then a "More" menu) and a long file name is cut with
// its full name as the tooltip.
const LONG_NAME = 'production-two-backends-eu-west.topolab.json'; // longer than the 36 characters

for (const size of [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
]) {
  test(`at ${size.width}x${size.height} nothing overflows the window and the toolbar folds to fit`, async ({ editor, page, served }) => {
    await copyFile(join(served.dir, 'nginx-two-backends.topolab.json'), join(served.dir, LONG_NAME));
    await page.setViewportSize(size);
    await editor.openEditor({ file: LONG_NAME });
    await expect(editor.node('nginx')).toBeVisible();
    await editor.validated();
    expect(await editor.pageOverflow()).toEqual({ x: 0, y: 0 });

    // Every part of the toolbar, the inspector and the diagnostics counters is inside the window.
    const toolbar = await editor.box(editor.byTestId('toolbar'));
    expect(toolbar.width).toBeLessThanOrEqual(size.width);
    for (const id of ['toolbar', 'sidebar', 'diagnostics-summary', 'status-bar']) {
      const box = await editor.box(editor.byTestId(id));
      expect(box.x + box.width, `${id}'s right edge`).toBeLessThanOrEqual(size.width + 0.5);
      expect(box.y + box.height, `${id}'s bottom edge`).toBeLessThanOrEqual(size.height + 0.5);
    }
    const buttons = editor.byTestId('toolbar').locator('button');
    for (const button of await buttons.all()) {
      const box = await editor.box(button);
      expect(box.x + box.width, `toolbar button ${await button.getAttribute('data-testid')}`).toBeLessThanOrEqual(toolbar.x + toolbar.width + 0.5);
    }

    // The file name is cut, and its tooltip is the whole name.
    const fileName = editor.byTestId('file-name');
    await expect(fileName).toHaveText(LONG_NAME);
    expect(await fileName.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await expect(editor.byTestId('file-title')).toHaveAttribute('title', new RegExp(`^${LONG_NAME.replace(/\./g, '\\.')}`));

    // The theme and help commands stay one or two clicks away: on the bar, or in "More".
    const help = editor.byTestId('cmd-view.help');
    if ((await help.count()) === 0) {
      await editor.byTestId('menu-more').click();
      await editor.byTestId('menu-view.help').click();
    } else {
      await help.click();
    }
    await expect(editor.byTestId('help-sheet')).toBeVisible();
    await page.keyboard.press('Escape');

    // Widening the window unfolds it again.
    await page.setViewportSize({ width: 1600, height: 900 });
    await expect(editor.byTestId('toolbar')).toHaveAttribute('data-fold', '0');
    await expect(editor.byTestId('cmd-view.help')).toBeVisible();
    expect(editor.consoleErrors).toEqual([]);
  });
}

test('in a narrower window the toolbar folds its tools into a "More" menu', async ({ editor, page }) => {
  await page.setViewportSize({ width: 660, height: 600 });
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(editor.byTestId('toolbar')).toHaveAttribute('data-fold', /[34]/);
  expect(await editor.pageOverflow()).toEqual({ x: 0, y: 0 });
  await editor.byTestId('menu-more').click();
  await expect(editor.byTestId('menu-tools.trace')).toHaveAttribute('aria-checked', 'false');
  await editor.byTestId('menu-tools.trace').click();
  await expect(editor.byTestId('trace-panel')).toBeVisible();
  await editor.byTestId('menu-more').click();
  await expect(editor.byTestId('menu-tools.trace')).toHaveAttribute('aria-checked', 'true');
  const menu = await editor.box(editor.page.getByRole('menu'));
  expect(menu.x + menu.width).toBeLessThanOrEqual(660);
  expect(editor.consoleErrors).toEqual([]);
});

// Issue 16, "room to draw": palette, inspector and lab dock fold and resize, their sizes
// are remembered, and the canvas keeps at least half of the window either way.
test('palette, sidebar and lab dock fold and resize, sizes are remembered, the canvas keeps half the window', async ({ editor, page }) => {
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(editor.node('web-lb')).toBeVisible();
  const canvasWidth = async () => (await editor.box(editor.canvas)).width;
  const paletteWidth = async () => (await editor.box(editor.byTestId('palette'))).width;
  const sidebarWidth = async () => (await editor.box(editor.byTestId('sidebar'))).width;

  // Resize the palette by its edge and the sidebar from the keyboard.
  const palette = await paletteWidth();
  await editor.dragSplitter('palette-splitter', 64, 0);
  await expect.poll(paletteWidth).toBeCloseTo(palette + 64, 0);
  const sidebar = await sidebarWidth();
  await editor.byTestId('sidebar-splitter').focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(sidebarWidth).toBeCloseTo(sidebar + 32, 0);
  // However far they are dragged, the two side panels leave the canvas half of the window.
  await editor.dragSplitter('sidebar-splitter', -700, 0);
  expect(await canvasWidth()).toBeGreaterThanOrEqual(1280 / 2 - 1);

  // The lab dock opens under the canvas and resizes by its top edge, never past half the window.
  await editor.byTestId('lab-tab-traffic').click();
  await expect(editor.byTestId('lab-panel-traffic')).toBeVisible();
  await editor.settleViewport();
  const body = async () => (await editor.box(editor.byTestId('lab-panel-traffic'))).height;
  const opened = await body();
  await editor.dragSplitter('dock-splitter', 0, 60);
  await expect.poll(body).toBeCloseTo(opened - 60, 0);
  await editor.dragSplitter('dock-splitter', 0, -600);
  const canvas = await editor.box(editor.canvas);
  expect(canvas.height).toBeGreaterThanOrEqual(800 / 2 - 1);
  expect(canvas.width).toBeGreaterThanOrEqual(1280 / 2 - 1);
  const dock = await editor.box(editor.byTestId('lab-dock'));
  expect(dock.y).toBeGreaterThanOrEqual(canvas.y + canvas.height - 0.5);
  const remembered = { palette: await paletteWidth(), sidebar: await sidebarWidth(), dock: await body() };

  // A reload keeps every size; a folded sidebar is a rail that still shows the diagnostics counts.
  await page.reload();
  await expect(editor.node('web-lb')).toBeVisible();
  expect(await paletteWidth()).toBeCloseTo(remembered.palette, 0);
  expect(await sidebarWidth()).toBeCloseTo(remembered.sidebar, 0);
  await editor.byTestId('lab-tab-traffic').click();
  await expect.poll(body).toBeCloseTo(remembered.dock, 0);
  await editor.byTestId('sidebar-toggle').click();
  await expect(editor.byTestId('sidebar')).toHaveAttribute('data-collapsed', 'true');
  await expect(editor.byTestId('rail-counts')).toBeVisible();
  await page.reload();
  await expect(editor.byTestId('sidebar')).toHaveAttribute('data-collapsed', 'true');
  await editor.byTestId('sidebar-toggle').click();
  await expect(editor.byTestId('inspector-document')).toBeVisible();

  // Fold the palette to a rail of icons that still drag: the canvas gains the difference.
  const before = await canvasWidth();
  await editor.byTestId('palette-toggle').click();
  await expect(editor.byTestId('palette')).toHaveAttribute('data-collapsed', 'true');
  expect(await paletteWidth()).toBeLessThan(60);
  expect(await canvasWidth()).toBeGreaterThan(before + 100);
  await editor.drop('client', { x: 40, y: 40 });
  await expect(editor.node('client-1')).toBeVisible();
  await editor.byTestId('palette-toggle').click();
  await expect(editor.byTestId('palette')).toHaveAttribute('data-collapsed', 'false');
  expect(editor.consoleErrors).toEqual([]);
});

test('at 1024x768 with every panel open at its widest, the canvas keeps half of the window each way', async ({ editor, page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(editor.baseUrl);
  await page.evaluate(() => localStorage.setItem('topolab:settings', JSON.stringify({ panels: { paletteWidth: 360, sidebarWidth: 600, dockHeight: 900 } })));
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await editor.byTestId('lab-tab-endpoints').click();
  await expect(editor.byTestId('lab-panel-endpoints')).toBeVisible();
  const canvas = await editor.box(editor.canvas);
  expect(canvas.width).toBeGreaterThanOrEqual(512 - 1);
  expect(canvas.height).toBeGreaterThanOrEqual(384 - 1);
  expect(await editor.pageOverflow()).toEqual({ x: 0, y: 0 });
  expect(editor.consoleErrors).toEqual([]);
});

// The lab dock's bar is one row at 1280x800, launch buttons and every tab side by side: a
// second row of tabs took about 40 px more of the canvas, for nothing (review of issue 16).
test('at 1280x800 the lab dock bar is one row with every tab in view', async ({ editor }) => {
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(editor.node('web-lb')).toBeVisible();
  const bar = await editor.box(editor.page.locator('.lab-bar'));
  const launch = await editor.box(editor.byTestId('lab-launch'));
  expect(bar.height, 'the bar is as tall as one row of controls').toBeLessThanOrEqual(launch.height + 16);
  for (const tab of await editor.page.getByRole('tab').all()) {
    const box = await editor.box(tab);
    expect(box.y, `${await tab.textContent()} is on the launch button's row`).toBeLessThan(launch.y + launch.height);
    expect(box.x + box.width, `${await tab.textContent()} is inside the bar`).toBeLessThanOrEqual(bar.x + bar.width + 0.5);
  }
});
