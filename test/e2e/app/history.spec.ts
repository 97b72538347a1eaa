import type { Topology } from '../../../core/model/index.js';
import { expect, test } from './fixtures.js';

// Issue 5: undo/redo a sequence of edits made with the mouse, the keyboard and the inspector.
test('undo and redo walk a sequence of edits back and forth', async ({ editor, page }) => {
  await editor.openEditor();
  const states: Topology[] = [await editor.doc()];
  await editor.drop('vpc', { x: 60, y: 60 });
  await expect(editor.node('vpc-1')).toBeVisible();
  states.push(await editor.doc());
  await editor.drop('subnet', { x: 100, y: 120 });
  await expect(editor.node('subnet-1')).toBeVisible();
  states.push(await editor.doc());
  await editor.drop('server', { x: 220, y: 200 });
  await expect(editor.node('web-1')).toBeVisible();
  states.push(await editor.doc());
  // Typing a name is one undo step, however many keys.
  await editor.select('web-1');
  await editor.type('name', 'api-server');
  await expect(editor.node('web-1')).toContainText('api-server');
  states.push(await editor.doc());
  // Clicking the node leaves the field (ending that step) and selects it; Delete removes it.
  await editor.node('web-1').click();
  await page.keyboard.press('Delete');
  await expect(editor.node('web-1')).toHaveCount(0);
  states.push(await editor.doc());

  // Undo each step with Ctrl+Z: the document matches each earlier state exactly.
  for (let i = states.length - 2; i >= 0; i--) {
    await page.keyboard.press('Control+z');
    expect(await editor.doc()).toEqual(states[i]);
  }
  await expect(editor.byTestId('cmd-edit.undo')).toBeDisabled();
  await expect(editor.byTestId('empty-canvas')).toBeVisible();

  // Redo with the toolbar and Ctrl+Shift+Z back to the end.
  await editor.command('edit.redo');
  expect(await editor.doc()).toEqual(states[1]);
  for (let i = 2; i < states.length; i++) {
    await page.keyboard.press('Control+Shift+z');
    expect(await editor.doc()).toEqual(states[i]);
  }
  await expect(editor.byTestId('cmd-edit.redo')).toBeDisabled();

  // Arrow keys nudge the selection a grid step; a run of presses is one undo step.
  await editor.select('subnet-1');
  const x0 = (await editor.doc()).layout['subnet-1']?.x ?? 0;
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await editor.doc()).layout['subnet-1']?.x).toBe(x0 + 32);
  await page.keyboard.press('Control+z');
  expect((await editor.doc()).layout['subnet-1']?.x).toBe(x0);

  // A new edit after an undo drops the redo branch.
  await page.keyboard.press('Control+z');
  await editor.drop('route-table', { x: 500, y: 400 });
  await expect(editor.byTestId('cmd-edit.redo')).toBeDisabled();
  expect(editor.consoleErrors).toEqual([]);
});
