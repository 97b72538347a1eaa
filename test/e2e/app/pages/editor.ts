import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { Topology } from '../../../../core/model/index.js';
import { AppPage, REPO_ROOT } from '../../support/index.js';

/** README screenshots are written here by the tests that show each view. */
export const DOCS_SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

/** A point on the canvas, in pixels from its top-left corner. */
export interface CanvasPoint {
  x: number;
  y: number;
}

/**
 * The editor page object: palette drops, connections by handle drags, selection, the
 * inspector, diagnostics, dialogs, and the document as the app holds it. Tests speak in
 * these verbs; selectors live here only.
 */
export class EditorPage extends AppPage {
  constructor(page: Page, baseUrl: string) {
    super(page, baseUrl);
  }

  get canvas(): Locator {
    return this.byTestId('canvas');
  }

  /** A node on the canvas by model id. */
  node(id: string): Locator {
    return this.byTestId(`node-${id}`);
  }

  /** Opens the app on an empty design (or `?file=`) and waits until the editor is ready. */
  async openEditor(options: { file?: string } = {}): Promise<void> {
    await this.open(options);
    await expect(this.byTestId('app-root')).toHaveAttribute('data-phase', 'ready');
  }

  /** Drags a kind from the palette and drops it at a canvas point (native HTML5 drag and drop). */
  async drop(kind: string, at: CanvasPoint): Promise<void> {
    await this.byTestId(`palette-${kind}`).dragTo(this.canvas, { targetPosition: at });
  }

  /** Draws a connection from one node's output handle to another node's input handle. */
  async connect(from: string, to: string): Promise<void> {
    const source = this.byTestId(`handle-out-${from}`);
    const target = this.byTestId(`handle-in-${to}`);
    const a = await source.boundingBox();
    const b = await target.boundingBox();
    if (!a || !b) throw new Error(`handles of ${from} or ${to} are not visible`);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Draws a connection from one node's output handle and lets go over the middle of another node's body, away from its handles. */
  async connectToBody(from: string, to: string): Promise<void> {
    const a = await this.byTestId(`handle-out-${from}`).boundingBox();
    const b = await this.node(to).boundingBox();
    if (!a || !b) throw new Error(`${from}'s handle or ${to} is not visible`);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Selects a node by clicking it (a container by its header). */
  async select(id: string): Promise<void> {
    const node = this.node(id);
    const header = node.locator('.container-header');
    await ((await header.count()) > 0 ? header.click({ position: { x: 60, y: 12 } }) : node.click());
    await expect(this.byTestId('inspector')).toHaveAttribute('data-node', id);
  }

  /** Drags a node by its body (a container by its header) by an offset in pixels. */
  async dragNode(id: string, dx: number, dy: number): Promise<void> {
    const node = this.node(id);
    const header = node.locator('.container-header');
    const grip = (await header.count()) > 0 ? header : node;
    const box = await grip.boundingBox();
    if (!box) throw new Error(`${id} is not visible`);
    const x = box.x + Math.min(60, box.width / 2);
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 4 });
    await this.page.mouse.up();
  }

  /** An inspector input by field name (`cidr`, `name`, ...). */
  field(name: string): Locator {
    return this.byTestId(`input-${name}`);
  }

  /** Replaces a field's text as a user types it. */
  async type(name: string, text: string): Promise<void> {
    const input = this.field(name);
    await input.fill('');
    await input.pressSequentially(text);
  }

  /** The design as the editor holds it. */
  async doc(): Promise<Topology> {
    return this.page.evaluate(() => (window as unknown as { __topolab: { editor: { doc: unknown } } }).__topolab.editor.doc as never);
  }

  /** A node of the document, failing when absent. */
  async modelNode(id: string): Promise<Record<string, unknown>> {
    const doc = await this.doc();
    const node = doc.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`no node ${id} in the design`);
    return node as Record<string, unknown>;
  }

  /** Diagnostics in the panel with a code. */
  diagnostic(code: string): Locator {
    return this.page.locator(`[data-testid="diagnostic"][data-code="${code}"]`);
  }

  /** Runs a toolbar command by id (`file.save`, `tools.planner`, ...). */
  async command(id: string): Promise<void> {
    await this.byTestId(`cmd-${id}`).click();
  }

  /** The last toast's text. */
  lastToast(): Locator {
    return this.byTestId('toast').last();
  }

  /** Waits until the validator has checked the latest edit. */
  async validated(): Promise<void> {
    await expect(this.byTestId('validation-state')).toHaveAttribute('data-state', 'done');
  }

  /** Waits until the canvas viewport stops moving (after a fit or focus animation). */
  async settleViewport(): Promise<void> {
    await this.page.waitForFunction(
      () =>
        new Promise<boolean>((resolve) => {
          const read = () => (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform;
          const first = read();
          requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve(read() === first))));
        }),
      undefined,
      { polling: 'raf' },
    );
  }

  /**
   * Saves a named screenshot in test-results/screenshots, and with `UPDATE_SCREENSHOTS=1`
   * also as docs/screenshots/NAME.png for the README (so ordinary runs leave the tree clean).
   */
  async docsScreenshot(name: string): Promise<void> {
    await this.screenshot(name);
    if (process.env['UPDATE_SCREENSHOTS'] !== '1') return;
    await mkdir(DOCS_SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: join(DOCS_SCREENSHOTS, `${name}.png`) });
  }
}
