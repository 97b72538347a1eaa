import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { alive, clickMenu, launchDesktop, listening, skipWithoutElectron, type Desktop } from './desktop.js';

skipWithoutElectron();

let desktop: Desktop | undefined;
test.afterEach(async () => {
  await desktop?.close();
});

/**
 * Lab > Launch Lab sends `app.menu { command: 'lab.launch' }` to the page, which starts the
 * lab through the bridge. The page's handler here is the one the renderer registers for
 * that command, reduced to the call it makes, so the test pins the shell's part: menu ->
 * page -> bridge -> lab utility process -> sockets, and quit -> nothing left.
 */
async function launchFromMenu(page: Page, designText: string): Promise<string> {
  await page.evaluate((text) => {
    type Bridge = { call(m: string, i: unknown): Promise<{ result?: { topology?: unknown } }>; subscribe(e: string, l: (p: unknown) => void): () => void };
    const bridge = (window as unknown as { topolab: Bridge }).topolab;
    (window as unknown as { __lab: Promise<unknown> }).__lab = new Promise((resolve) => {
      bridge.subscribe('app.menu', (payload) => {
        if ((payload as { command: string }).command !== 'lab.launch') return;
        void bridge.call('topology.parse', { text }).then((parsed) => bridge.call('lab.start', { topology: parsed.result?.topology }).then(resolve));
      });
    });
  }, designText);
  return page.evaluate(() => (window as unknown as { __lab: Promise<unknown> }).__lab.then((reply) => JSON.stringify(reply)));
}

test('a lab started from the menu runs outside the window and is stopped on quit, leaving no process or port', async () => {
  desktop = await launchDesktop();
  const page = await desktop.firstWindow();
  const text = await readFile(new URL('../../../examples/nginx-two-backends.topolab.json', import.meta.url), 'utf8');
  const started = launchFromMenu(page, text);
  await clickMenu(desktop.app, 'lab.launch');
  const reply = await started;
  expect(reply).toContain('"result"');
  const ports = [...reply.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
  expect(ports.length).toBeGreaterThan(0);
  for (const port of ports) expect(await listening(port)).toBe(true);

  const labPids = await desktop.app.evaluate(({ app }) => app.getAppMetrics().filter((metric) => metric.type === 'Utility' && /lab/i.test(metric.serviceName ?? metric.name ?? '')).map((metric) => metric.pid));
  expect(labPids).toHaveLength(1);

  await desktop.app.close();
  for (const pid of labPids) expect(alive(pid)).toBe(false);
  for (const port of ports) expect(await listening(port)).toBe(false);
});
