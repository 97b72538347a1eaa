import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { AppPage } from './page.js';
import { startServe, type ServedApp } from './serve.js';

/** The worker's one browser page, kept across tests (see `page` below); made on first use. */
interface SharedPage {
  context?: BrowserContext;
  page?: Page;
}

/**
 * `served`: the worker's `topolab serve` (one per worker, started once), handed to each test
 * reset: no lab running, and its temp folder holding fresh copies of the examples and
 * nothing else, so no test sees another's files or unsaved-work backups, whichever tests
 * ran before it in its worker. `page`: the worker's one page, reused from test to test (see
 * below), or with `test.use({ ownPage: true })` a page in a browser context of the test's own.
 * `app`: a page object on it for each test.
 */
export const test = base.extend<{ app: AppPage; served: ServedApp; ownPage: boolean }, { workerServed: ServedApp; sharedPage: SharedPage }>({
  ownPage: [false, { option: true }],
  workerServed: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const served = await startServe();
      await use(served);
      await served.stop();
    },
    { scope: 'worker' },
  ],
  sharedPage: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const shared: SharedPage = {};
      await use(shared);
      await shared.context?.close();
    },
    { scope: 'worker' },
  ],
  // Why one page for all tests: a page in a new browser context loads and compiles the 1.4 MB
  // app bundle cold, which measured 3.5-5 s per test on the 2-core machine, against 1.3-2 s
  // for the same page going from the app to the app again (HTTP and compiled-code caches
  // warm). Between tests the page leaves the app for a plain page of the server (so the old
  // app can write nothing more into the folder the next reset empties), its localStorage and
  // sessionStorage are cleared, its routes and the test's listeners removed, and its window
  // size set back. A test that fails gets a new page for the next one (whatever state it left).
  // Init scripts cannot be taken back: a file that adds them says `ownPage`.
  page: async ({ browser, sharedPage, ownPage, viewport, workerServed }, use, testInfo) => {
    if (ownPage) {
      const context = await browser.newContext({ viewport });
      await use(await context.newPage());
      await context.close();
      return;
    }
    if (!sharedPage.page || sharedPage.page.isClosed()) {
      await sharedPage.context?.close();
      sharedPage.context = await browser.newContext({ viewport });
      sharedPage.page = await sharedPage.context.newPage();
    }
    const page = sharedPage.page;
    if (viewport) await page.setViewportSize(viewport);
    await use(page);
    if (testInfo.status !== testInfo.expectedStatus) {
      await sharedPage.context?.close();
      delete sharedPage.page;
      delete sharedPage.context;
      return;
    }
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    for (const event of ['dialog', 'console', 'pageerror', 'download', 'request', 'response', 'popup'] as const) page.removeAllListeners(event);
    // Leaving a design with unsaved changes asks first (beforeunload): say yes.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${workerServed.url}e2e-between-tests.txt`);
    await page.evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    });
    page.removeAllListeners('dialog');
  },
  served: async ({ workerServed }, use) => {
    await workerServed.reset();
    await use(workerServed);
  },
  app: async ({ page, served }, use) => {
    await use(new AppPage(page, served.url));
  },
});

export { expect };
