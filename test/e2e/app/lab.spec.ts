import { expect, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    // One lab per server: leave none running for the next test, whatever happened.
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

test('launch the two-backend example, send 200 requests and read an even split; stop and see every node stopped', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  for (const id of ['nginx', 'backend-1', 'backend-2']) await lab.expectNodeState(id, 'healthy');
  await expect(lab.byTestId('lab-endpoint-nginx')).toContainText('127.0.0.1:');

  await lab.tab('endpoints');
  await expect(lab.byTestId('curl-nginx')).toContainText('curl -i http://127.0.0.1:');

  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 200, concurrency: 8 });
  await lab.expectRunPhase('done');
  await expect(lab.byTestId('traffic-summary')).toContainText('200 requests');
  expect(await lab.statusCounts()).toEqual({ '200': 200 });
  expect(await lab.backendCounts()).toEqual({ 'backend-1': 100, 'backend-2': 100 });
  await expect(lab.byTestId('chart-rps')).toBeVisible();
  await expect(lab.byTestId('lab-targets-nginx').locator('[data-target="backend-1"]')).toHaveAttribute('data-chosen', /^\d+$/);

  await lab.stop();
  for (const id of ['nginx', 'backend-1', 'backend-2']) await lab.expectNodeState(id, 'stopped');
  expect(lab.consoleErrors).toEqual([]);
});
