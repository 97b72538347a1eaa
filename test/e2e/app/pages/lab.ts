import { expect, type Locator, type Page } from '@playwright/test';
import { EditorPage } from './editor.js';

/**
 * Lab mode, as a user drives it: launch/stop, node states on the canvas, the traffic
 * panel, the request inspector, the faults context menu. Selectors live here only.
 */
export class LabPage extends EditorPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl);
  }

  get dock(): Locator {
    return this.byTestId('lab-dock');
  }

  /** The lab's phase as the dock shows it (idle, starting, running, stopping, stopped). */
  async expectPhase(phase: string, timeout = 20_000): Promise<void> {
    await expect(this.dock).toHaveAttribute('data-phase', phase, { timeout });
  }

  /** Clicks Launch and waits until the lab runs. */
  async launch(): Promise<void> {
    await this.byTestId('lab-launch').click();
    await this.expectPhase('running');
  }

  /** Clicks "▶ Namespaces" (launch in network namespaces) (shown only where the kernel lab can run) and waits until the lab runs. */
  async launchInNamespaces(): Promise<void> {
    await this.byTestId('lab-launch-netns').click();
    await this.expectPhase('running', 60_000);
  }

  /** Clicks Stop and waits until the lab has stopped. */
  async stop(): Promise<void> {
    await this.byTestId('lab-stop').click();
    await this.expectPhase('stopped');
  }

  /** The state overlay of one running node on the canvas. */
  nodeState(id: string): Locator {
    return this.byTestId(`lab-state-${id}`);
  }

  async expectNodeState(id: string, state: string, timeout = 15_000): Promise<void> {
    await expect(this.nodeState(id)).toHaveAttribute('data-state', state, { timeout });
  }

  /** Opens a tab of the lab dock. */
  async tab(name: 'endpoints' | 'traffic' | 'request' | 'reports' | 'scaling' | 'scenarios' | 'log'): Promise<void> {
    const panel = this.byTestId(`lab-panel-${name}`);
    if (await panel.isVisible()) return;
    await this.byTestId(`lab-tab-${name}`).click();
    await expect(panel).toBeVisible();
  }

  /** Fills the traffic form and starts a run; resolves once it is under way. */
  async sendTraffic(options: { from?: string; to?: string; requests?: number; seconds?: number; concurrency?: number; path?: string }): Promise<void> {
    await this.tab('traffic');
    if (options.from !== undefined) await this.byTestId('traffic-from').selectOption(options.from);
    if (options.to !== undefined) await this.byTestId('traffic-to').selectOption(options.to);
    if (options.path !== undefined) await this.byTestId('traffic-path').fill(options.path);
    if (options.seconds !== undefined) {
      await this.byTestId('traffic-mode').selectOption('duration');
      await this.byTestId('traffic-amount').fill(String(options.seconds));
    } else if (options.requests !== undefined) {
      await this.byTestId('traffic-mode').selectOption('requests');
      await this.byTestId('traffic-amount').fill(String(options.requests));
    }
    if (options.concurrency !== undefined) await this.byTestId('traffic-concurrency').fill(String(options.concurrency));
    await this.byTestId('traffic-start').click();
  }

  /** The current (last) traffic run. */
  get run(): Locator {
    return this.byTestId('traffic-run');
  }

  /** Waits until the last run ends in `phase` (done, cancelled, failed). */
  async expectRunPhase(phase: string, timeout = 30_000): Promise<void> {
    await expect(this.run).toHaveAttribute('data-phase', phase, { timeout });
  }

  /** Count per backend from the panel's "share per backend" bars. */
  async backendCounts(): Promise<Record<string, number>> {
    const rows = this.byTestId('backend-bars').locator('[data-count]');
    const out: Record<string, number> = {};
    for (const row of await rows.all()) {
      const id = ((await row.getAttribute('data-testid')) ?? '').replace(/^backend-bars-/, '');
      out[id] = Number(await row.getAttribute('data-count'));
    }
    return out;
  }

  /** Count per status code from the panel's status bars. */
  async statusCounts(): Promise<Record<string, number>> {
    const rows = this.byTestId('status-bars').locator('[data-count]');
    const out: Record<string, number> = {};
    for (const row of await rows.all()) {
      const code = ((await row.getAttribute('data-testid')) ?? '').replace(/^status-bars-/, '');
      out[code] = Number(await row.getAttribute('data-count'));
    }
    return out;
  }

  /** Right-clicks a node (brought into view first, as for `select`) and picks a fault from the lab's context menu. */
  async fault(nodeId: string, item: string, value?: number): Promise<void> {
    const { target, position } = await this.clickTarget(nodeId);
    await target.click({ button: 'right', ...(position === undefined ? {} : { position }) });
    await expect(this.byTestId('fault-menu')).toBeVisible();
    await this.byTestId(`fault-${item}`).click();
    if (value !== undefined) {
      await this.byTestId('fault-value').fill(String(value));
      await this.byTestId('fault-apply').click();
    }
    await expect(this.byTestId('fault-menu')).toBeHidden();
  }

  /** Sends one request from the inspector and waits for its answer. */
  async inspect(options: { from?: string; to?: string; via?: string; target?: string; path?: string }): Promise<Locator> {
    await this.tab('request');
    if (options.from !== undefined) await this.byTestId('request-from').selectOption(options.from);
    if (options.to !== undefined) await this.byTestId('request-to').selectOption(options.to);
    if (options.via !== undefined) await this.byTestId('request-via').selectOption(options.via);
    if (options.target !== undefined) await this.byTestId('request-target').fill(options.target);
    if (options.path !== undefined) await this.byTestId('request-path').fill(options.path);
    const before = await this.byTestId('inspection').count();
    const send = this.byTestId('request-send');
    await send.click();
    await expect(send).toHaveText('Send one request', { timeout: 15_000 });
    if (before === 0) await expect(this.byTestId('inspection').or(this.byTestId('request-error')).or(this.byTestId('request-blocked')).or(this.byTestId('request-refused')).first()).toBeVisible();
    return this.byTestId('inspection');
  }
}
