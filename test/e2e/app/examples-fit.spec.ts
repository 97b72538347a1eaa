import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Topology } from '../../../core/model/index.js';
import { REPO_ROOT } from '../support/index.js';
import { expect, test } from './fixtures.js';

// Issue 16, done when: every example opens at 1280x800 and at 1024x768 without the page
// overflowing either way, and a traced path (each example's first drawn flow the
// reachability tool can start) is in full view, its nodes under no panel.
const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.topolab.json')).sort();
// An empty examples folder would leave this file without tests: say so instead.
if (EXAMPLES.length === 0) throw new Error('examples/ holds no *.topolab.json');

// One test per window size, opening each example in turn on the one page (a new test per
// example only repeated the reset and the window setup). Its timeout grows with the number of
// examples: 15 s each, about five times what one takes at load 10 on the 2-core machine (ten
// examples once took over a minute at load 17 under the former 60 s per test). Every check
// names the example and the window size; each example is a step of its own in the report.
for (const size of [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
]) {
  const at = `${size.width}x${size.height}`;
  test(`at ${at} every example fits the window and a trace never hides its path`, async ({ editor, page }) => {
    test.setTimeout(EXAMPLES.length * 15_000);
    await page.setViewportSize(size);
    for (const file of EXAMPLES) {
      await test.step(`${file} at ${at}`, async () => {
        const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8')) as Topology;
        await editor.openEditor({ file });
        await editor.validated();
        expect(await editor.pageOverflow(), `${file} at ${at}`).toEqual({ x: 0, y: 0 });

        await editor.command('tools.trace');
        await expect(editor.byTestId('trace-panel'), `${file} at ${at}`).toBeVisible();
        const sources = await editor.byTestId('trace-from').locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
        const edge = doc.edges.find((e) => sources.includes(e.from));
        if (!edge) throw new Error(`${file} at ${at}: no drawn edge starts at a node the reachability tool can trace from`);
        await editor.byTestId('trace-from').selectOption(edge.from);
        await editor.byTestId('trace-to').fill(edge.to);
        await expect(editor.byTestId('trace-verdict'), `${file} at ${at}: ${edge.from} -> ${edge.to}`).toHaveText(/Reachable|Blocked/);
        await editor.settleViewport();
        const path = await editor.tracedNodes();
        expect(path, `${file} at ${at}`).toContain(edge.from);
        // The view moves to the path once the answer is shown (an animation): wait for it.
        await expect.poll(() => editor.hiddenNodes(path), { message: `${file} at ${at}: ${edge.from} -> ${edge.to}` }).toEqual([]);
        expect(await editor.pageOverflow(), `${file} at ${at} with the trace shown`).toEqual({ x: 0, y: 0 });
        expect(editor.consoleErrors, `${file} at ${at}`).toEqual([]);
      });
    }
  });
}
