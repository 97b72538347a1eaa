import { expect, test } from '@playwright/test';
import { launchDesktop, skipWithoutElectron, type Desktop } from './desktop.js';

skipWithoutElectron();

let desktop: Desktop;
test.beforeEach(async () => {
  desktop = await launchDesktop();
});
test.afterEach(async () => {
  await desktop.close();
});

test('the window runs with the six checklist settings', async () => {
  await desktop.firstWindow();
  // The effective preferences of the live web contents (Electron's undocumented, untyped getter).
  const preferences = await desktop.app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences(): unknown } | undefined;
    return contents?.getLastWebPreferences();
  });
  expect(preferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
  });
});

test('the page sees no Node and exactly the two-function bridge', async () => {
  const page = await desktop.firstWindow();
  const seen = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    bridgeKeys: Object.keys((window as unknown as { topolab: object }).topolab).sort(),
    url: location.href,
  }));
  expect(seen).toEqual({ require: 'undefined', process: 'undefined', bridgeKeys: ['call', 'subscribe'], url: expect.stringMatching(/^topolab:\/\/app\/index\.html/) });
  const reply = await page.evaluate(() => (window as unknown as { topolab: { call(m: string, i: unknown): Promise<unknown> } }).topolab.call('cidr.info', { cidr: '10.0.0.0/24' }));
  expect(reply).toMatchObject({ result: { ok: true } });
});

test('the content security policy blocks inline scripts', async () => {
  const page = await desktop.firstWindow();
  const outcome = await page.evaluate(
    () =>
      new Promise<{ ran: boolean; violation: string }>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => resolve({ ran: Boolean((window as { __inline?: boolean }).__inline), violation: event.violatedDirective }), { once: true });
        const script = document.createElement('script');
        script.textContent = 'window.__inline = true';
        document.head.append(script);
      }),
  );
  expect(outcome.ran).toBe(false);
  expect(outcome.violation).toMatch(/^script-src/);
});

test('window.open is denied and navigation away is refused; web links go to the system browser', async () => {
  const page = await desktop.firstWindow();
  await desktop.app.evaluate(({ shell }) => {
    const opened: string[] = [];
    (globalThis as { __opened?: string[] }).__opened = opened;
    shell.openExternal = async (url: string) => void opened.push(url);
  });
  const opened = await page.evaluate(() => window.open('https://example.com/popup') === null);
  expect(opened).toBe(true);
  const fileOpened = await page.evaluate(() => window.open('file:///etc/passwd') === null);
  expect(fileOpened).toBe(true);
  await page.evaluate(() => {
    location.href = 'https://example.com/away';
  });
  await expect.poll(() => desktop.app.evaluate(() => (globalThis as { __opened?: string[] }).__opened)).toEqual(['https://example.com/popup', 'https://example.com/away']);
  expect(desktop.app.windows()).toHaveLength(1);
  expect(page.url()).toMatch(/^topolab:\/\/app\/index\.html/);
});

test('permission requests are denied', async () => {
  const page = await desktop.firstWindow();
  expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
  const media = await page.evaluate(() => navigator.mediaDevices.getUserMedia({ audio: true }).then(() => 'granted', (error: Error) => error.name));
  expect(media).not.toBe('granted');
});
