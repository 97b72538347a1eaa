import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { alive, clickMenu, launchDesktop, listening, skipWithoutElectron, type Desktop } from './desktop.js';

skipWithoutElectron();

let desktop: Desktop | undefined;
let dir: string;
test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topolab-desktop-lab-'));
});
test.afterEach(async () => {
  await desktop?.close();
  await rm(dir, { recursive: true, force: true });
});

type LabStatus = { state: string; nodes: { id: string; url?: string }[] };
type Bridge = { call(method: string, input: unknown): Promise<{ result?: LabStatus }> };
const labStatus = (page: Page) => page.evaluate(async () => ((await (window as unknown as { topolab: Bridge }).topolab.call('lab.status', {})).result ?? null) as LabStatus | null);

test('a lab started from the Lab menu runs in its own process and is stopped on quit, leaving no process or port', async () => {
  const design = join(dir, 'two-backends.topolab.json');
  await copyFile(new URL('../../../examples/nginx-two-backends.topolab.json', import.meta.url), design);
  desktop = await launchDesktop([design]);
  const page = await desktop.firstWindow();
  // The renderer opened the design given on the command line (?file= in the design's folder).
  await expect(page.getByTestId('app-root')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('node-backend-1')).toBeVisible();

  // Lab > Launch Lab: the shell sends `app.menu { command: 'lab.launch' }`, the page launches.
  await clickMenu(desktop.app, 'lab.launch');
  await expect.poll(async () => (await labStatus(page))?.state, { timeout: 30_000 }).toBe('running');
  const status = await labStatus(page);
  const ports = (status?.nodes ?? []).flatMap((node) => (node.url ? [Number(new URL(node.url).port)] : []));
  expect(ports.length).toBeGreaterThan(0);
  for (const port of ports) expect(await listening(port)).toBe(true);

  const labPids = await desktop.app.evaluate(({ app }) =>
    app
      .getAppMetrics()
      .filter((metric) => metric.type === 'Utility' && /topolab lab/i.test(metric.serviceName ?? metric.name ?? ''))
      .map((metric) => metric.pid),
  );
  expect(labPids).toHaveLength(1);

  await desktop.app.close();
  for (const pid of labPids) expect(alive(pid)).toBe(false);
  for (const port of ports) expect(await listening(port)).toBe(false);
});
