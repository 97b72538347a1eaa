import { expect, test as base } from '../support/index.js';
import { overlaps, type Box } from './pages/editor.js';
import { LabPage } from './pages/lab.js';

/** The zoom below which 13 px labels are no longer legible (renderer/canvas/viewport.ts). */
const LEGIBLE_ZOOM = 0.75;

const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

type Boxes = { id: string; box: Box }[];

/** Boxes of every element matching each selector, read at one moment. */
async function boxesOf(lab: LabPage, selectors: readonly string[]): Promise<Boxes[]> {
  return lab.page.evaluate(
    (list) =>
      list.map((selector) =>
        [...document.querySelectorAll(selector)].map((el) => {
          const r = el.getBoundingClientRect();
          const node = el.closest('[data-testid^="node-"]');
          return { id: `${node?.getAttribute('data-testid') ?? '?'} ${el.className}`, box: { x: r.x, y: r.y, width: r.width, height: r.height } };
        }),
      ),
    selectors,
  );
}

/** Boxes of every element matching a selector. */
async function boxes(lab: LabPage, selector: string): Promise<Boxes> {
  return (await boxesOf(lab, [selector]))[0] ?? [];
}

// Issue 16, legibility: designs open, and diagnostics are shown, at a legible zoom.
test('a design opens, and a clicked diagnostic shows its node, at a legible zoom', async ({ lab, page }) => {
  await lab.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(lab.node('web-lb')).toBeVisible();
  await lab.settleViewport();
  expect(await lab.zoom()).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);

  await lab.openEditor({ file: 'broken-plan.topolab.json' });
  await lab.validated();
  await lab.settleViewport();
  expect(await lab.zoom()).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
  // A diagnostic about two VPCs far apart: the view pans to the first instead of zooming out.
  const overlap = lab.diagnostic('vpc-overlap').first();
  const first = ((await overlap.getAttribute('data-nodes')) ?? '').split(' ')[0] as string;
  await overlap.click();
  await expect(lab.byTestId('inspector')).toHaveAttribute('data-node', first);
  await lab.settleViewport();
  expect(await lab.zoom()).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
  // Its title is in view (the VPC itself is larger than the canvas at that zoom).
  const canvas = await lab.box(lab.canvas);
  const title = await lab.box(lab.node(first).locator('.container-name'));
  expect(title.x).toBeGreaterThanOrEqual(canvas.x);
  expect(title.y).toBeGreaterThanOrEqual(canvas.y);
  expect(title.x + title.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  expect(title.y + title.height).toBeLessThanOrEqual(canvas.y + canvas.height);
  // Every diagnostic keeps the zoom legible.
  for (const item of (await lab.page.getByTestId('diagnostic').all()).slice(0, 6)) {
    await item.click();
    await lab.settleViewport();
    expect(await lab.zoom()).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
  }
  await page.keyboard.press('Escape');
  expect(lab.consoleErrors).toEqual([]);
});

// Issue 16, semantic zoom: far out, nodes drop their details and their titles grow.
test('far out the nodes switch to a simplified view with larger titles', async ({ lab, page }) => {
  await lab.openEditor({ file: 'broken-plan.topolab.json' });
  await lab.settleViewport();
  const title = lab.node('visitor').locator('.device-name');
  const near = await title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  await expect(lab.canvas).toHaveAttribute('data-zoom', 'near');
  await expect(lab.node('visitor').locator('.device-sub')).toBeVisible();

  // Zoom to fit shows the whole design, below the legible zoom: the far view takes over.
  await lab.canvas.click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('f');
  await lab.settleViewport();
  const zoom = await lab.zoom();
  expect(zoom).toBeLessThan(0.55);
  await expect(lab.canvas).toHaveAttribute('data-zoom', 'far');
  await expect(lab.node('visitor').locator('.device-sub')).toBeHidden();
  const far = await title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  // On screen the title is at least half as large again as the plain view would draw it, and about 12 px.
  expect(far * zoom).toBeGreaterThanOrEqual(1.5 * near * zoom);
  expect(far * zoom).toBeGreaterThanOrEqual(Math.min(11.5, 24 * zoom));
  // Titles stay inside their node.
  const node = await lab.box(lab.node('visitor'));
  const text = await lab.box(title);
  expect(text.y + text.height).toBeLessThanOrEqual(node.y + node.height + 0.5);

  // Zooming back in restores the plain view.
  for (let i = 0; i < 8 && (await lab.zoom()) < 0.6; i++) {
    const before = await lab.zoom();
    await page.keyboard.press('=');
    await expect.poll(() => lab.zoom()).toBeGreaterThan(before);
  }
  await lab.settleViewport();
  await expect(lab.canvas).toHaveAttribute('data-zoom', 'near');
  expect(lab.consoleErrors).toEqual([]);
});

// Issue 16: the minimap never covers a node: it moves to a free corner, or hides.
test('the minimap never covers a node, as the view moves', async ({ lab, page }) => {
  for (const file of ['two-tier-web.topolab.json', 'nginx-two-backends.topolab.json', 'broken-plan.topolab.json', 'vpc-peering.topolab.json']) {
    await lab.openEditor({ file });
    await lab.validated();
    for (const step of ['open', 'fit', 'zoom-in', 'zoom-out'] as const) {
      const zoom = await lab.zoom();
      if (step === 'fit') {
        await lab.canvas.click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('f');
      } else if (step === 'zoom-in') await page.keyboard.press('=');
      else if (step === 'zoom-out') for (let i = 0; i < 4; i++) await page.keyboard.press('-');
      if (step === 'zoom-in' || step === 'zoom-out') await expect.poll(() => lab.zoom()).not.toBe(zoom);
      await lab.settleViewport();
      // Where the canvas says the minimap is, and the map itself, read at one moment once they agree.
      const placed = async () =>
        page.evaluate(() => {
          const map = document.querySelector('[data-testid="rf__minimap"]')?.getBoundingClientRect();
          return { where: document.querySelector('[data-testid="canvas"]')?.getAttribute('data-minimap') ?? '', map: map ? { x: map.x, y: map.y, width: map.width, height: map.height } : null };
        });
      await expect.poll(async () => { const p = await placed(); return (p.where === 'hidden') === (p.map === null); }).toBe(true);
      const { where, map } = await placed();
      expect(where, `${file} ${step}`).toMatch(/^(bottom-right|top-right|top-left|hidden)$/);
      if (!map) continue;
      // The minimap follows the canvas's size and the nodes in the next frames (a banner
      // shown after opening shrinks the canvas): wait for it to settle off every node.
      const covered = async () => {
        const now = (await placed()).map;
        if (!now) return [];
        return (await boxes(lab, '.react-flow__node')).filter(({ box }) => overlaps(now, box)).map(({ id }) => id);
      };
      await expect.poll(covered, { message: `${file} ${step}: the minimap covers a node` }).toEqual([]);
    }
  }
  expect(lab.consoleErrors).toEqual([]);
});

// Issue 16: endpoint badges never overlap titles (lab facts are lines of the node itself).
test('while the lab runs, endpoint badges and target counts never overlap a title', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  for (const id of ['nginx', 'backend-1', 'backend-2']) await lab.expectNodeState(id, 'healthy');
  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 40, concurrency: 4 });
  await lab.expectRunPhase('done');
  await expect(lab.byTestId('lab-targets-nginx').locator('[data-target="backend-2"]')).toHaveAttribute('data-chosen', '20');
  // Titles and badges read at one moment (rates come and go with the metrics ticks).
  const [titles = [], badges = []] = await boxesOf(lab, ['.device-name, .container-name, .container-kind', '[data-testid^="lab-endpoint-"], [data-testid^="lab-targets-"], .lab-pill, .lab-rate']);
  expect(badges.length).toBeGreaterThanOrEqual(6);
  for (const badge of badges) {
    for (const title of titles) expect(overlaps(badge.box, title.box), `${badge.id} over ${title.id}`).toBe(false);
  }
  // Each endpoint is shown whole, inside its node.
  for (const id of ['nginx', 'backend-1', 'backend-2']) {
    const endpoint = lab.byTestId(`lab-endpoint-${id}`);
    await expect(endpoint).toHaveText(/^127\.0\.0\.1:\d+$/);
    expect(await endpoint.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const node = await lab.box(lab.node(id));
    const box = await lab.box(endpoint);
    expect(box.x + box.width).toBeLessThanOrEqual(node.x + node.width);
    expect(box.y + box.height).toBeLessThanOrEqual(node.y + node.height);
  }
  expect(lab.consoleErrors).toEqual([]);
});

// Issue 16: auto-layout never cuts a container's title (a subnet holding one server is wider than the server).
test('auto-layout leaves every container title whole', async ({ lab, page }) => {
  for (const file of ['two-tier-web.topolab.json', 'nginx-two-backends.topolab.json', 'vpc-peering.topolab.json']) {
    await lab.openEditor({ file });
    await expect(lab.page.locator('.react-flow__node').first()).toBeVisible();
    const before = JSON.stringify((await lab.doc()).layout);
    await lab.canvas.click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+L');
    await expect.poll(async () => JSON.stringify((await lab.doc()).layout) !== before).toBe(true);
    await lab.settleViewport();
    expect(await lab.zoom()).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
    const cut = await page.locator('.container-name').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
    expect(cut, `${file}: cut titles`).toEqual([]);
  }
  expect(lab.consoleErrors).toEqual([]);
});
