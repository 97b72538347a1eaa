import { expect, test } from './fixtures.js';

// Issue 16, "panels cover what they explain": the reachability result sits in the sidebar,
// beside the canvas, and the view pans (at a legible zoom) so the traced path is in full
// view, clear of every panel, with the blocker marked.
test('a blocked trace never hides its path: the view brings it beside the panel and marks the blocker', async ({ editor, page }) => {
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(editor.node('visitor')).toBeVisible();
  // A smaller canvas (the lab dock open), and the view moved away from the path.
  await editor.byTestId('lab-tab-endpoints').click();
  await expect(editor.byTestId('lab-panel-endpoints')).toBeVisible();
  await editor.settleViewport();
  const canvas = await editor.box(editor.canvas);
  await page.mouse.move(canvas.x + canvas.width - 40, canvas.y + 30);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 60, canvas.y + 30, { steps: 6 });
  await page.mouse.up();
  await editor.settleViewport();

  await editor.command('tools.trace');
  await expect(editor.byTestId('trace-panel')).toBeVisible();
  await editor.byTestId('trace-from').selectOption('visitor');
  await editor.byTestId('trace-to').fill('app-a');
  await expect(editor.byTestId('trace-verdict')).toHaveText(/Blocked/);
  const path = await editor.tracedNodes();
  expect(path).toContain('private-a');
  await editor.settleViewport();
  expect(await editor.hiddenNodes(path)).toEqual([]);
  // Legible: at 75 % or more, or (a path too wide for that) in the far view, whose titles
  // are sized on screen.
  const zoom = await editor.zoom();
  if (zoom < 0.75) {
    expect(zoom).toBeLessThan(0.55);
    await expect(editor.canvas).toHaveAttribute('data-zoom', 'far');
  }
  // The panel is beside the canvas, never over it.
  const panel = await editor.box(editor.byTestId('trace-panel'));
  const stage = await editor.box(editor.canvas);
  expect(panel.x).toBeGreaterThanOrEqual(stage.x + stage.width - 0.5);
  // The blocker is marked on the canvas, and its name in the panel shows it.
  await expect(editor.node('private-a')).toHaveClass(/trace-blocked/);
  await expect(editor.node('private-a').getByTestId('trace-blocker')).toBeVisible();
  await expect(editor.byTestId('trace-blocked-reason')).toContainText('Private A');

  // A reachable path: every hop in view as well.
  await editor.byTestId('trace-to').fill('web-lb');
  await expect(editor.byTestId('trace-verdict')).toHaveText(/Reachable/);
  await editor.settleViewport();
  expect(await editor.hiddenNodes(await editor.tracedNodes())).toEqual([]);
  await expect(editor.page.getByTestId('trace-blocker')).toHaveCount(0);
  await editor.docsScreenshot('reachability-path');
  expect(editor.consoleErrors).toEqual([]);
});
