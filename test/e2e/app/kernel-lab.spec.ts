import { expect, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

test('offers "▶ Namespaces" exactly where the kernel lab can run, and runs the example there', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  const modes = (await lab.page.evaluate(() =>
    fetch('/api/call/lab.modes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.json()),
  )) as { result: { modes: { mode: string; available: boolean; reason?: string }[] } };
  const netns = modes.result.modes.find((m) => m.mode === 'netns');
  if (!netns?.available) {
    console.log(`kernel-lab.spec: the kernel lab cannot run here (${netns?.reason}); checking that the app does not offer it`);
    await expect(lab.byTestId('lab-launch')).toBeVisible();
    await expect(lab.byTestId('lab-launch-netns')).toHaveCount(0);
    return;
  }
  await lab.launchInNamespaces();
  await expect(lab.byTestId('lab-phase')).toHaveText('Lab running (network namespaces)');
  for (const id of ['nginx', 'backend-1', 'backend-2']) await lab.expectNodeState(id, 'healthy');
  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 60, concurrency: 4 });
  await lab.expectRunPhase('done');
  expect(await lab.statusCounts()).toEqual({ '200': 60 });
  expect(await lab.backendCounts()).toEqual({ 'backend-1': 30, 'backend-2': 30 });
  await lab.stop();
  for (const id of ['nginx', 'backend-1', 'backend-2']) await lab.expectNodeState(id, 'stopped');
  expect(lab.consoleErrors).toEqual([]);
});
