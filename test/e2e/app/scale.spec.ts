import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serializeTopology } from '../../../core/model/index.js';
import { generateLargeDesign } from '../../bench/canvas.bench.js';
import { expect, test } from './fixtures.js';

// Issue 5, scale: a 1,000-node design opens rendering only what is in view, validates off
// the main thread, and zoom to fit draws all of it. (Timings: `npm run bench -- canvas`.)
test('a generated 1,010-node design opens, validates in a worker and fits', async ({ editor, page, served }) => {
  const design = generateLargeDesign(10);
  await writeFile(join(served.dir, 'large.topolab.json'), serializeTopology(design));
  await editor.openEditor({ file: 'large.topolab.json' });
  await expect(editor.node('lb-0-0')).toBeVisible();
  const inView = await page.locator('.react-flow__node').count();
  expect(inView).toBeGreaterThan(0);
  expect(inView).toBeLessThan(design.nodes.length);

  await editor.validated();
  const validation = await page.evaluate(() => {
    const state = (window as unknown as { __topolab: { diagnostics: { store: { getState(): { diagnostics: unknown[]; error?: string; doc: unknown } } } } }).__topolab.diagnostics.store.getState();
    return { count: state.diagnostics.length, error: state.error ?? null, checked: state.doc !== null };
  });
  expect(validation).toEqual({ count: validation.count, error: null, checked: true });

  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('f');
  await expect(page.locator('.react-flow__node')).toHaveCount(design.nodes.length);
  await editor.settleViewport();
  await editor.screenshot('large-design-fitted');
  expect(editor.consoleErrors).toEqual([]);
});
