import { defineConfig } from '@playwright/test';

/** Specs that run the kernel lab (Linux network namespaces): the `kernel` project's, not `app`'s. */
const KERNEL_SPECS = /kernel-lab\.spec\.ts$/;
/** Specs that assert a latency, so must not share the cores: the `alone` project's. */
const ALONE_SPECS = /lab-scenario\.spec\.ts$/;

/**
 * End-to-end tests in the system Chromium (never `npx playwright install`: there is no
 * download on these machines). `app` tests run the built renderer against a real
 * `topolab serve` started per worker by test/e2e/support (so `npm run build` first);
 * `electron` tests launch the desktop shell and skip, saying why, without its binary.
 */
export default defineConfig({
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two workers, one per core: Playwright runs alone after vitest. Safe because each worker
  // has its own `topolab serve` (port 0, own temp folder), reset before every test, and
  // everything else a test touches is per test or bound to port 0 (README "How the tests
  // run"). Files are the unit: a file's tests run in order in one worker.
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
    { name: 'app', testDir: 'test/e2e/app', testIgnore: [KERNEL_SPECS, ALONE_SPECS] },
    // The kernel lab (Linux network namespaces): one at a time, never two labs of it at once.
    { name: 'kernel', testDir: 'test/e2e/app', testMatch: KERNEL_SPECS, workers: 1 },
    // Each desktop test has its own user-data folder, but without an Electron binary here none
    // has been run two at a time: one at a time, as before.
    { name: 'electron', testDir: 'test/e2e/electron', workers: 1 },
    // After every other project has finished, so nothing runs beside it (the scenario's p99
    // < 500 ms measured 919 ms beside another lab). Its dependencies run in full even when
    // a file is named on the command line: `--no-deps` runs it alone.
    { name: 'alone', testDir: 'test/e2e/app', testMatch: ALONE_SPECS, workers: 1, dependencies: ['app', 'kernel', 'electron'] },
  ],
});
