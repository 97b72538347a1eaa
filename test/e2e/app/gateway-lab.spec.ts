import { cpSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, REPO_ROOT, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

/**
 * The API-gateway example opened from a sub-folder of the served folder, its secret files
 * beside it (as a project keeps them): the app tells lab.start which design it is, so the
 * lab reads the API keys next to the design (without that it refuses to start: "started
 * without the design's folder"). Then requests to two routes, and the gateway node on the
 * canvas counts them per route.
 */
test('a gateway design in a sub-folder starts with its secret files, and the canvas counts requests per route', async ({ lab, served }) => {
  const folder = join(served.dir, 'shop');
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'examples', 'api-gateway.topolab.json'), join(folder, 'api-gateway.topolab.json'));
  cpSync(join(REPO_ROOT, 'examples', 'api-gateway-secrets'), join(folder, 'api-gateway-secrets'), { recursive: true });

  await lab.openEditor({ file: 'shop/api-gateway.topolab.json' });
  await lab.launch();
  await lab.expectNodeState('api-gw', 'healthy');

  // Five to the storefront (the catch-all), three to the catalogue without a key (401, still its route).
  await lab.sendTraffic({ from: 'shopper', to: 'api-gw', requests: 5, concurrency: 1, path: '/' });
  await lab.expectRunPhase('done');
  await lab.sendTraffic({ from: 'shopper', to: 'api-gw', requests: 3, concurrency: 1, path: '/api/products/7' });
  await lab.expectRunPhase('done');
  expect(await lab.statusCounts()).toEqual({ '401': 3 });

  // One with a key from the secret file next to the design: the lab read it from there.
  const endpoint = (await lab.byTestId('lab-endpoint-api-gw').textContent())?.trim() ?? '';
  expect(endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
  const answer = await fetch(`http://${endpoint}/api/products/7`, { headers: { 'x-api-key': 'demo-mobile-key-0001' } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('x-topolab-route')).toBe('catalogue');
  await answer.arrayBuffer();

  const routes = lab.byTestId('lab-routes-api-gw');
  await expect(routes.locator('[data-route="storefront"]')).toHaveAttribute('data-count', '5', { timeout: 10_000 });
  await expect(routes.locator('[data-route="catalogue"]')).toHaveAttribute('data-count', '4', { timeout: 10_000 });
  await expect(routes).toContainText('storefront:5');
  await expect(routes).toContainText('catalogue:4');
  await expect(routes).toHaveAttribute('title', /route storefront: 5 requests\nroute catalogue: 4 requests|route catalogue: 4 requests\nroute storefront: 5 requests/);

  // Compact: the counts stay inside the node, in a legible size.
  const node = await lab.node('api-gw').boundingBox();
  const line = await routes.boundingBox();
  expect(node && line).toBeTruthy();
  if (node && line) {
    expect(line.x).toBeGreaterThanOrEqual(node.x);
    expect(line.x + line.width).toBeLessThanOrEqual(node.x + node.width + 0.5);
    expect(line.y + line.height).toBeLessThanOrEqual(node.y + node.height + 0.5);
  }
  const fontSize = await routes.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(fontSize).toBeGreaterThanOrEqual(10);
  expect(lab.consoleErrors).toEqual([]);
});
