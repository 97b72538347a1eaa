import { test as base, expect } from '@playwright/test';
import { AppPage } from './page.js';
import { startServe, type ServedApp } from './serve.js';

/**
 * `served`: one `topolab serve` per worker on a temp folder with copies of the examples.
 * `app`: a page object on it for each test. `freshServed`: a server and folder of the
 * test's own (for tests that save, list or recover files and must not see each other's).
 */
export const test = base.extend<{ app: AppPage; freshServed: ServedApp }, { served: ServedApp }>({
  served: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const served = await startServe();
      await use(served);
      await served.stop();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, served }, use) => {
    await use(new AppPage(page, served.url));
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  freshServed: async ({}, use) => {
    const served = await startServe();
    await use(served);
    await served.stop();
  },
});

export { expect };
