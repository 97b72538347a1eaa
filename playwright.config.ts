import { defineConfig } from '@playwright/test';

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
  // One browser at a time. Two workers were measured (CI run 27): each test then took about
  // 2.5x as long (two Chromiums rendering in software on two cores), so the suite took 6.3
  // minutes instead of 4.3-4.9, and latency assertions (the stored scenario's p99) measured the
  // other worker. Each test still gets the worker's `topolab serve` reset (test/e2e/support).
  workers: 1,
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
    { name: 'app', testDir: 'test/e2e/app' },
    { name: 'electron', testDir: 'test/e2e/electron' },
  ],
});
