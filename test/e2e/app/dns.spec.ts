import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, REPO_ROOT, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

const test = base.extend<{ lab: LabPage }>({
  // A server and folder of its own: the test edits the design and leaves it unsaved, and that
  // backup must not greet the tests after it with a restore banner.
  lab: async ({ page, served }, use) => {
    copyFileSync(join(REPO_ROOT, 'test/fixtures/lab/dns.topolab.json'), join(served.dir, 'dns.topolab.json'));
    const lab = new LabPage(page, served.url);
    await use(lab);
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

test('a zone: its records in the inspector, dashed links to the nodes they name, and live answers per value in the lab', async ({ lab }) => {
  await lab.openEditor({ file: 'dns.topolab.json' });
  // Each value naming a node is a dashed link from the zone.
  await expect(lab.page.locator('.react-flow__edge.edge-dns[data-id="dns|shop|web1"]')).toBeAttached();
  await expect(lab.page.locator('.react-flow__edge.edge-dns')).toHaveCount(3);
  await expect(lab.node('shop')).toContainText('4 records');

  await lab.select('shop');
  const records = lab.byTestId('dns-records');
  await expect(records.locator('tbody tr')).toHaveCount(4);
  await expect(lab.byTestId('dns-values-0')).toHaveValue('web1, web2');
  await expect(lab.byTestId('dns-policy-2')).toHaveValue('multivalue');
  // An edit in the table is an edit of the model: TTL 1 -> 2.
  await lab.byTestId('dns-ttl-0').fill('2');
  await expect.poll(async () => ((await lab.modelNode('shop'))['records'] as { ttl: number }[])[0]?.ttl).toBe(2);

  await lab.launch();
  await lab.sendTraffic({ from: 'user', to: 'www.shop.example', requests: 30, concurrency: 2 });
  await lab.expectRunPhase('done');
  expect(await lab.statusCounts()).toEqual({ '200': 30 });
  // Every response came from an address the name answered.
  const addresses = lab.byTestId('address-bars').locator('[data-count]');
  const counts = await addresses.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-testid'), Number(r.getAttribute('data-count'))] as const));
  expect(counts.every(([id]) => id === 'address-bars-10.0.1.10' || id === 'address-bars-10.0.1.11')).toBe(true);
  expect(counts.reduce((sum, [, n]) => sum + n, 0)).toBe(30);
  // The lab shows how often each value was answered, in the table and on the links.
  await expect(lab.byTestId('dns-answers-0').locator('[data-value="web1"]')).toHaveAttribute('data-count', /^[1-9]\d*$/);
  await expect(lab.byTestId('dns-zone-live')).toContainText('queries');
  await expect(lab.page.getByTestId('lab-dns-dns|shop|web1')).toHaveAttribute('data-count', /^[1-9]\d*$/);
  await expect(lab.page.getByTestId('lab-dns-dns|shop|web3')).toHaveAttribute('data-count', '0');
  await lab.page.screenshot({ path: join(REPO_ROOT, 'test-results', 'dns-lab.png') });
  await lab.stop();
  expect(lab.consoleErrors).toEqual([]);
});
