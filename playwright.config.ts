import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in the system Chromium (never `npx playwright install`: there is no
 * download on these machines). `app` tests run the built renderer against a real
 * `topolab serve` started per worker by test/e2e/support (so `npm run build` first);
 * `electron` tests launch the desktop shell and skip, saying why, without its binary.
 */
/** Specs that run the kernel lab. */
const KERNEL_SPECS = /kernel-lab\.spec\.ts$/;

export default defineConfig({
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two workers (see README "How the tests run"): each has its own `topolab serve`, reset per test.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  reporter: process.env['CI'] ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    // The size users have: a common laptop window (issue 16). Tests of smaller windows set their own.
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'app', testDir: 'test/e2e/app', testIgnore: KERNEL_SPECS },
    // The kernel lab (Linux network namespaces): one at a time, never two labs of it at once.
    { name: 'kernel', testDir: 'test/e2e/app', testMatch: KERNEL_SPECS, workers: 1 },
    // Each desktop test has its own user-data folder, but without an Electron binary here none
    // has been run two at a time: one at a time, as before.
    { name: 'electron', testDir: 'test/e2e/electron', workers: 1 },
  ],
});
