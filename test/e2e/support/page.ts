import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { REPO_ROOT } from './serve.js';

/** Where named screenshots go (stable names, so the README can pick the best ones). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');

/**
 * The base of every page object: opens the served app, finds elements by `data-testid`,
 * records console errors and uncaught exceptions, and saves named screenshots.
 */
export class AppPage {
  /** Console `error` messages and uncaught exceptions since the page object was made. */
  readonly consoleErrors: string[] = [];

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`uncaught: ${error.message}`));
  }

  /** Opens the app (optionally a design with `?file=`) and waits until it has rendered. */
  async open(options: { file?: string } = {}): Promise<void> {
    const url = options.file ? `${this.baseUrl}?file=${encodeURIComponent(options.file)}` : this.baseUrl;
    await this.page.goto(url);
    await this.ready();
  }

  /** Waits for the app's root element (rendered by the renderer once it has started). */
  async ready(): Promise<void> {
    await this.byTestId('app-root').waitFor({ state: 'visible' });
  }

  /** An element by its `data-testid`. */
  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Saves a full-window screenshot as test-results/screenshots/NAME.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
