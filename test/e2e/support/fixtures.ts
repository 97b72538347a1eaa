import { test as base, expect } from '@playwright/test';
import { AppPage } from './page.js';
import { startServe, type ServedApp } from './serve.js';

/**
 * `served`: the worker's `topolab serve` (one per worker, started once), handed to each test
 * reset: no lab running, and its temp folder holding fresh copies of the examples and
 * nothing else, so no test sees another's files or unsaved-work backups, whichever tests
 * ran before it in its worker. `app`: a page object on it for each test. `freshServed`: a
 * server and folder of the test's own (for tests that need a second server beside `served`).
 */
export const test = base.extend<{ app: AppPage; served: ServedApp; freshServed: ServedApp }, { workerServed: ServedApp }>({
  workerServed: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const served = await startServe();
      await use(served);
      await served.stop();
    },
    { scope: 'worker' },
  ],
  served: async ({ workerServed }, use) => {
    await workerServed.reset();
    await use(workerServed);
  },
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
