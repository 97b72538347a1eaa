import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, REPO_ROOT, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

/**
 * Tiers on the canvas at 1280x800: a web server's call to the database drawn by dragging
 * from its handle onto the database's body, run in the lab, the database stopped from the
 * faults menu, and the 502s seen at the front door; a drawn connection the design blocks is
 * red, with the reason on hover.
 */
const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

test.use({ viewport: { width: 1280, height: 800 } });

/** The three-tier example with one web server and nothing calling the database yet. */
function webAndDatabase(): Record<string, unknown> {
  const design = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'three-tier.topolab.json'), 'utf8')) as {
    nodes: { id: string }[];
    edges: { id: string; from: string; to: string }[];
    layout: Record<string, unknown>;
    scenarios?: unknown;
  };
  const gone = new Set(['web-2', 'orders-api']);
  design.nodes = design.nodes.filter((n) => !gone.has(n.id));
  design.edges = design.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to) && e.from !== 'web-1');
  for (const id of gone) delete design.layout[id];
  delete design.scenarios;
  return { ...design, name: 'Web and database' };
}

test('draw web -> db by dropping on the database, run the lab, stop the database from the faults menu: 502s at the front', async ({ lab, served }) => {
  writeFileSync(join(served.dir, 'web-db.topolab.json'), JSON.stringify(webAndDatabase()));
  await lab.openEditor({ file: 'web-db.topolab.json' });
  // At 1280x800 the design opens at a legible zoom, wider than the canvas: the database may
  // be out of view, so pan it in as a user would (dragging the canvas).
  await lab.settleViewport();
  const canvas = await lab.box(lab.canvas);
  const db = await lab.box(lab.node('db'));
  if (db.x + db.width > canvas.x + canvas.width - 40) await lab.panBy(canvas.x + canvas.width - 40 - (db.x + db.width), 0);
  expect(await lab.hiddenNodes(['web-1', 'db'])).toEqual([]);

  // From web-1's output handle onto the middle of the database's body (not its input handle).
  const handle = await lab.byTestId('handle-out-web-1').boundingBox();
  const body = await lab.node('db').boundingBox();
  if (!handle || !body) throw new Error('web-1 or db is not on screen');
  await lab.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await lab.page.mouse.down();
  await lab.page.mouse.move(body.x + body.width / 2, body.y + 8, { steps: 8 });
  await lab.page.mouse.move(body.x + body.width / 2, body.y + body.height / 2, { steps: 4 });
  await lab.page.mouse.up();
  await expect.poll(async () => (await lab.doc()).edges.filter((e) => e.from === 'web-1').map((e) => e.to)).toEqual(['db']);
  // The drawn call is traced and reachable: no diagnostic on it, drawn in the plain colour.
  const drawn = (await lab.doc()).edges.find((e) => e.from === 'web-1');
  await expect(lab.byTestId(`edge-${drawn?.id ?? ''}`)).toHaveAttribute('data-severity', '');

  await lab.launch();
  await lab.expectNodeState('db', 'healthy');
  await lab.sendTraffic({ from: 'visitor', to: 'shop-lb', requests: 20, concurrency: 2 });
  await lab.expectRunPhase('done');
  expect(await lab.statusCounts()).toEqual({ '200': 20 });

  await lab.fault('db', 'stop');
  await lab.expectNodeState('db', 'stopped');
  // web-1 stays in rotation (its health check makes no call): the front door answers 502.
  await lab.expectNodeState('web-1', 'healthy');
  await lab.sendTraffic({ from: 'visitor', to: 'shop-lb', requests: 30, concurrency: 3 });
  await lab.expectRunPhase('done');
  expect(await lab.statusCounts()).toEqual({ '502': 30 });

  const reply = await lab.inspect({ from: 'visitor', to: 'shop-lb', path: '/' });
  await expect(reply.getByTestId('observed-status')).toHaveText('502');
  expect(lab.consoleErrors).toEqual([]);
});

test('a drawn connection the design blocks is red, with the blocker and the reason on hover', async ({ lab, served }) => {
  const design = webAndDatabase() as { nodes: Record<string, unknown>[]; edges: unknown[] };
  // The balancer is internal: the visitor's edge to it is blocked by the balancer itself.
  design.nodes = design.nodes.map((n) => (n['id'] === 'shop-lb' ? { ...n, internetFacing: false } : n));
  writeFileSync(join(served.dir, 'blocked.topolab.json'), JSON.stringify(design));
  await lab.openEditor({ file: 'blocked.topolab.json' });

  const edge = lab.byTestId('edge-visit');
  await expect(edge).toHaveAttribute('data-severity', 'error');
  const red = await edge.locator('path.react-flow__edge-path').evaluate((path) => getComputedStyle(path).stroke);
  const plain = await lab.byTestId('edge-lb-web-1').locator('path.react-flow__edge-path').evaluate((path) => getComputedStyle(path).stroke);
  expect(red).not.toBe(plain);
  await expect(edge.locator('title')).toHaveText(/^Edge "visit" from "Visitor" \(visitor\) to "Shop balancer" \(shop-lb\) \(port 80, http\) is blocked by "Shop balancer" \(shop-lb\): load balancer "Shop balancer \(shop-lb\)" is internal/);
  await expect(lab.byTestId('edge-badge-visit')).toHaveAttribute('title', /is blocked by "Shop balancer" \(shop-lb\)/);
  // The diagnostics list it with the fix trace suggested; applying the fix clears the edge.
  const item = lab.page.locator('[data-testid="diagnostic"][data-code="connection-blocked"]');
  await expect(item).toHaveAttribute('data-nodes', 'shop-lb visitor');
  // Its path is the edge's id (issue 16), shown as where the problem is.
  await expect(item.locator('.diag-meta')).toHaveText('connection-blocked · edge visit');
  await item.getByTestId('diagnostic-fix').click();
  await expect(edge).toHaveAttribute('data-severity', '');
  await expect(edge.locator('title')).toHaveCount(0);
  expect((await lab.modelNode('shop-lb'))['internetFacing']).toBe(true);
  expect(lab.consoleErrors).toEqual([]);
});
