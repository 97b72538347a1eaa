import type { Locator } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, REPO_ROOT, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

/**
 * Issue 21: the Request and Traffic tabs send over HTTPS to a node with `tls` (the lab's TLS
 * listener, trusting the project's CA for that run): the answer shows the https:// URL it
 * went to and the HSTS header only HTTPS answers carry; for a node without `tls` the toggle
 * is off and disabled, its tooltip saying why. At 1280x800, nothing overflows.
 */
const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

test.use({ viewport: { width: 1280, height: 800 } });

const FILE = 'tls-two-backends.topolab.json';
const HSTS = 'max-age=600';

/** nginx-two-backends with HTTPS on the balancer (shop.example, HSTS). */
function writeTlsDesign(dir: string): void {
  const design = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'nginx-two-backends.topolab.json'), 'utf8')) as { nodes: { id: string; tls?: unknown }[] };
  const nginx = design.nodes.find((n) => n.id === 'nginx');
  if (nginx === undefined) throw new Error('the example has no nginx node');
  nginx.tls = { hosts: ['shop.example'], hsts: { maxAgeSeconds: 600 } };
  writeFileSync(join(dir, FILE), JSON.stringify(design));
}

async function expectNoOverflow(lab: LabPage, what: Locator): Promise<void> {
  expect(await lab.pageOverflow()).toEqual({ x: 0, y: 0 });
  const box = await lab.box(what);
  expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(1280.5);
  expect(await what.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'no sideways scrolling inside').toBe(true);
}

test('HTTPS from the Request and Traffic tabs: the answer came over https:// with HSTS; disabled, with the reason, for a node without tls', async ({ lab, served }) => {
  writeTlsDesign(served.dir);
  await lab.openEditor({ file: FILE });
  await lab.launch();

  // Request tab: to the TLS balancer, HTTPS on.
  await lab.tab('request');
  await lab.byTestId('request-from').selectOption('browser');
  await lab.byTestId('request-to').selectOption('nginx');
  const toggle = lab.byTestId('request-https');
  await expect(toggle).toBeEnabled();
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await lab.inspect({});
  await expect(lab.byTestId('observed-status')).toHaveText('200');
  await expect(lab.byTestId('observed-url')).toHaveText(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  await expect(lab.byTestId('observed-served-by')).toHaveText(/^backend-[12]$/);
  await lab.byTestId('inspection').locator('summary').click();
  await expect(lab.byTestId('inspection').locator('tr', { hasText: 'strict-transport-security' })).toContainText(HSTS);
  // The design's prediction for the HTTPS flow agrees with what the lab observed.
  await expect(lab.byTestId('prediction-agrees')).toBeVisible();
  await expectNoOverflow(lab, lab.byTestId('lab-panel-request'));

  // Toggled off: the same request goes over plain HTTP, without HSTS.
  await toggle.uncheck();
  await lab.inspect({});
  await expect(lab.byTestId('observed-url')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  await expect(lab.byTestId('inspection').locator('tr', { hasText: 'strict-transport-security' })).toHaveCount(0);

  // A server has no tls: the toggle is off and disabled, and says why.
  await toggle.check();
  await lab.byTestId('request-to').selectOption('backend-1');
  await expect(toggle).toBeDisabled();
  await expect(toggle).not.toBeChecked();
  await expect(lab.byTestId('request-https-label')).toHaveAttribute('title', /backend-1 serves no HTTPS: it has no tls block/);

  // Traffic tab: a load run over HTTPS.
  await lab.tab('traffic');
  await lab.byTestId('traffic-from').selectOption('browser');
  await lab.byTestId('traffic-to').selectOption('nginx');
  await lab.byTestId('traffic-https').check();
  await lab.sendTraffic({ requests: 30, concurrency: 3 });
  await lab.expectRunPhase('done');
  await expect(lab.byTestId('traffic-url')).toHaveText(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  await expect(lab.run.locator('.lab-run-label')).toContainText('over HTTPS');
  expect(await lab.statusCounts()).toEqual({ '200': 30 });
  await expectNoOverflow(lab, lab.byTestId('lab-panel-traffic'));

  // And for a node without tls the Traffic tab's toggle is disabled too.
  await lab.byTestId('traffic-to').selectOption('backend-2');
  await expect(lab.byTestId('traffic-https')).toBeDisabled();
  await expect(lab.byTestId('traffic-https-label')).toHaveAttribute('title', /backend-2 serves no HTTPS/);
  expect(lab.consoleErrors).toEqual([]);
});
