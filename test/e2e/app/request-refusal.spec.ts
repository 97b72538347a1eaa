import type { Locator } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, REPO_ROOT, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

/**
 * Issue 16: in the running lab, a request whose flow the design refuses shows in the Request
 * tab as the design's refusal (who could not reach whom, the node that blocks it, trace's
 * reason), never as a generic error: a first leg refused after a route is dropped (nothing
 * sent), and a leg a node of the lab may not open (its 502). A load run in the Traffic tab
 * refused on its first leg says the same. At 1280x800.
 */
const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

test.use({ viewport: { width: 1280, height: 800 } });

/** The tab's "Refused by the design" panel for nginx-two-backends with rt-public's default route dropped: nothing sent, the subnet and the route table named. */
async function expectRouteDropRefusal(lab: LabPage, tab: 'request' | 'traffic'): Promise<Locator> {
  const refused = lab.byTestId(`${tab}-refused`);
  await expect(refused).toBeVisible({ timeout: 15_000 });
  await expect(refused).toHaveAttribute('data-sent', 'false');
  await expect(lab.byTestId(`${tab}-refused-by`)).toHaveText('public');
  await expect(refused).toContainText('Refused by the design: browser cannot reach nginx');
  await expect(lab.byTestId(`${tab}-refused-reason`)).toContainText('rt-public');
  await expect(refused).toContainText('Nothing was sent');
  return refused;
}

test('a route dropped in the running lab: the request is refused by the design, naming the subnet, the route table and why; restored, served', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.fault('rt-public', 'drop-0.0.0.0/0');
  await lab.tab('request');
  await lab.byTestId('request-from').selectOption('browser');
  await lab.byTestId('request-to').selectOption('nginx');
  await lab.byTestId('request-send').click();
  const refused = await expectRouteDropRefusal(lab, 'request');
  // Not a generic error, no inspection of a response that never came, nothing in the console.
  await expect(lab.byTestId('request-error')).toHaveCount(0);
  await expect(lab.byTestId('inspection')).toHaveCount(0);
  await lab.fault('rt-public', 'restore-0.0.0.0/0');
  await lab.inspect({});
  await expect(lab.byTestId('observed-status')).toHaveText('200');
  await expect(refused).toHaveCount(0);
  expect(lab.consoleErrors).toEqual([]);
});

test('a load run whose first leg the design refuses: the Traffic tab names the blocker and the reason, as the Request tab does', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.fault('rt-public', 'drop-0.0.0.0/0');
  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 20 });
  await lab.expectRunPhase('failed');
  const refused = await expectRouteDropRefusal(lab, 'traffic');
  await expect(refused).toHaveAttribute('data-code', 'private-subnet');
  // The design's answer, not a generic error.
  await expect(lab.byTestId('traffic-error')).toHaveCount(0);
  // Restored, the same run is served.
  await lab.fault('rt-public', 'restore-0.0.0.0/0');
  await lab.sendTraffic({ requests: 20 });
  await lab.expectRunPhase('done');
  await expect(refused).toHaveCount(0);
  // The browser logs the one refused lab.load call (the service's error answer); nothing else went wrong.
  const refusedCall = (m: string) => /status of 500 \(Internal Server Error\)/.test(m);
  expect(lab.consoleErrors.filter(refusedCall)).toHaveLength(1);
  expect(lab.consoleErrors.filter((m) => !refusedCall(m))).toEqual([]);
});

test("a server's call the design blocks: the 502 at the front is shown as the design's refusal, naming the database and trace's reason", async ({ lab, served }) => {
  const design = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'three-tier.topolab.json'), 'utf8')) as { edges: { id: string; port?: number }[] };
  // Both web servers call the database on a port it does not listen on.
  design.edges = design.edges.map((e) => (e.id === 'web-1-db' || e.id === 'web-2-db' ? { ...e, port: 6000 } : e));
  writeFileSync(join(served.dir, 'db-port.topolab.json'), JSON.stringify(design));
  await lab.openEditor({ file: 'db-port.topolab.json' });
  // The lab runs a design whose only errors are blocked connections: the app asks first.
  await lab.byTestId('lab-launch').click();
  const check = lab.byTestId('launch-warnings');
  await expect(check).toContainText(/^Launch with 2 problems\?The lab runs the design as drawn/);
  await expect(check.getByTestId('launch-diagnostics')).toContainText('connection-blocked');
  await lab.byTestId('launch-anyway').click();
  await lab.expectPhase('running');
  await lab.inspect({ from: 'visitor', to: 'shop-lb' });
  await expect(lab.byTestId('observed-status')).toHaveText('502');
  const refused = lab.byTestId('inspection').getByTestId('request-refused');
  await expect(refused).toHaveAttribute('data-sent', 'true');
  await expect(lab.byTestId('request-refused-by')).toHaveText('db');
  await expect(refused).toContainText(/Refused by the design: web-[12] cannot reach db/);
  await expect(lab.byTestId('request-refused-reason')).toContainText('listens on port 5432, not 6000');
  await expect(lab.byTestId('request-error')).toHaveCount(0);
  expect(lab.consoleErrors).toEqual([]);
});
