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

/** A rectangle on the page, in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two boxes share any area (touching edges do not count). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
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

  /**
   * Selects a node by clicking it (a container by its header), first brought into view (see
   * `clickTarget`).
   */
  async select(id: string): Promise<void> {
    const { target, position } = await this.clickTarget(id);
    await target.click(position === undefined ? undefined : { position });
    await expect(this.byTestId('inspector')).toHaveAttribute('data-node', id);
  }

  /**
   * Where to click a node (a container by its header), once it is in the canvas's view. A
   * node out of view (under the inspector or the lab dock, past an edge) is first brought
   * into it with zoom to fit, as a user would: Playwright's own "scroll into view" scrolls
   * React Flow's clipped container instead, and its click then lands beside the node (CI
   * run 15), or on whatever the scroll moved over it (an edge, the sidebar).
   */
  async clickTarget(id: string): Promise<{ target: Locator; position?: { x: number; y: number } }> {
    const node = this.node(id);
    const header = node.locator('.container-header');
    const target = (await header.count()) > 0 ? header : node;
    const position = target === header ? { x: 60, y: 12 } : undefined;
    if (!(await this.inView(target, position))) {
      await this.settleViewport();
      if (!(await this.inView(target, position))) {
        await this.canvas.click({ position: { x: 5, y: 5 } });
        await this.page.keyboard.press('f');
        await this.settleViewport();
      }
    }
    return position === undefined ? { target } : { target, position };
  }

  /** Whether a click at `position` in the element (its centre by default) would reach it: nothing covers that point and it is inside the window. */
  private async inView(target: Locator, position?: { x: number; y: number }): Promise<boolean> {
    return target.evaluate((el, at) => {
      const box = el.getBoundingClientRect();
      const x = box.left + (at?.x ?? box.width / 2);
      const y = box.top + (at?.y ?? box.height / 2);
      const hit = document.elementFromPoint(x, y);
      return hit !== null && el.contains(hit);
    }, position);
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

  /** How far the page overflows the window each way (0 when it fits). */
  async pageOverflow(): Promise<{ x: number; y: number }> {
    return this.page.evaluate(() => {
      const root = document.documentElement;
      return { x: Math.max(0, root.scrollWidth - window.innerWidth), y: Math.max(0, root.scrollHeight - window.innerHeight) };
    });
  }

  /** An element's box on the page, failing when it is not rendered. */
  async box(locator: Locator): Promise<Box> {
    const box = await locator.boundingBox();
    if (!box) throw new Error(`${locator.toString()} is not rendered`);
    return box;
  }

  /** Drags a panel's splitter by an offset in pixels. */
  async dragSplitter(testId: string, dx: number, dy: number): Promise<void> {
    const grip = await this.box(this.byTestId(testId));
    const x = grip.x + grip.width / 2;
    const y = grip.y + grip.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 3 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 3 });
    await this.page.mouse.up();
  }

  /**
   * What keeps nodes from being seen: for each node, whether it lies outside the canvas or
   * under a panel (the sidebar, the palette, the lab dock, the minimap, the zoom controls,
   * the toolbar). Empty when every node is in full view.
   */
  async hiddenNodes(ids: readonly string[]): Promise<string[]> {
    return this.page.evaluate((nodeIds) => {
      const box = (el: Element | null) => (el ? el.getBoundingClientRect() : null);
      const canvas = box(document.querySelector('[data-testid="canvas"]'));
      if (!canvas) return ['no canvas'];
      const panels: [string, DOMRect | null][] = [
        ['sidebar', box(document.querySelector('[data-testid="sidebar"]'))],
        ['palette', box(document.querySelector('[data-testid="palette"]'))],
        ['lab dock', box(document.querySelector('[data-testid="lab-dock"]'))],
        ['minimap', box(document.querySelector('[data-testid="rf__minimap"]'))],
        ['zoom controls', box(document.querySelector('[data-testid="rf__controls"]'))],
        ['toolbar', box(document.querySelector('[data-testid="toolbar"]'))],
      ];
      const problems: string[] = [];
      for (const id of nodeIds) {
        const element = document.querySelector(`[data-testid="node-${id}"]`);
        // A container is seen by its header (its title and handles); a device by all of it.
        const r = box(element?.querySelector('.container-header') ?? element ?? null);
        if (!r) {
          problems.push(`${id} is not drawn`);
          continue;
        }
        if (r.x < canvas.x - 0.5 || r.y < canvas.y - 0.5 || r.right > canvas.right + 0.5 || r.bottom > canvas.bottom + 0.5) problems.push(`${id} is outside the canvas`);
        for (const [name, p] of panels) {
          if (p && r.x < p.right - 0.5 && p.x < r.right - 0.5 && r.y < p.bottom - 0.5 && p.y < r.bottom - 0.5) problems.push(`${id} is under the ${name}`);
        }
      }
      return problems;
    }, ids);
  }

  /** The nodes (containers whole, not only their headers) drawn partly outside the canvas. Empty when all are inside. */
  async outsideCanvas(ids: readonly string[]): Promise<string[]> {
    return this.page.evaluate((nodeIds) => {
      const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      if (!canvas) return ['no canvas'];
      return nodeIds.filter((id) => {
        const r = document.querySelector(`[data-testid="node-${id}"]`)?.getBoundingClientRect();
        return !r || r.x < canvas.x - 0.5 || r.y < canvas.y - 0.5 || r.right > canvas.right + 0.5 || r.bottom > canvas.bottom + 0.5;
      });
    }, ids);
  }

  /**
   * What the canvas draws that the model does not say: a node drawn (partly) outside the
   * container the model puts it in, or two nodes of one container overlapping. Empty when
   * the drawing agrees with the model.
   */
  async drawingProblems(): Promise<string[]> {
    const doc = await this.doc();
    const parents = Object.fromEntries(doc.nodes.map((n) => [n.id, n.parent ?? null]));
    return this.page.evaluate((parentOf) => {
      const rect = (id: string) => document.querySelector(`[data-testid="node-${id}"]`)?.getBoundingClientRect() ?? null;
      const problems: string[] = [];
      const ids = Object.keys(parentOf);
      for (const id of ids) {
        const r = rect(id);
        const parent = parentOf[id];
        if (!r) continue;
        if (parent) {
          const p = rect(parent);
          if (p && (r.x < p.x - 0.5 || r.y < p.y - 0.5 || r.right > p.right + 0.5 || r.bottom > p.bottom + 0.5)) problems.push(`${id} is drawn outside ${parent}`);
        }
        for (const other of ids) {
          if (other <= id || parentOf[other] !== parent) continue;
          const o = rect(other);
          if (o && r.x < o.right - 0.5 && o.x < r.right - 0.5 && r.y < o.bottom - 0.5 && o.y < r.bottom - 0.5) problems.push(`${id} overlaps ${other}`);
        }
      }
      return problems;
    }, parents);
  }

  /** The nodes of the shown trace: each hop's, then the blocker's when the flow is blocked. */
  async tracedNodes(): Promise<string[]> {
    const ids = await this.page.locator('[data-testid="trace-hop"], [data-testid="trace-blocked-reason"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-node') ?? '').filter(Boolean));
    return [...new Set(ids)];
  }

  /** Pans the canvas by an offset in pixels, dragging the pane from a spot no node covers. */
  async panBy(dx: number, dy: number): Promise<void> {
    const spot = await this.page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      if (!canvas) return null;
      for (let y = canvas.y + 20; y < canvas.bottom - 20; y += 16) {
        for (let x = canvas.x + 20; x < canvas.right - 20; x += 16) {
          if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
        }
      }
      return null;
    });
    if (!spot) throw new Error('no free spot on the canvas to drag it by');
    await this.page.mouse.move(spot.x, spot.y);
    await this.page.mouse.down();
    await this.page.mouse.move(spot.x + dx / 2, spot.y + dy / 2, { steps: 4 });
    await this.page.mouse.move(spot.x + dx, spot.y + dy, { steps: 4 });
    await this.page.mouse.up();
  }

  /** The canvas viewport's zoom. */
  async zoom(): Promise<number> {
    const transform = await this.page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
    return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? NaN);
  }

  /**
   * Waits until the canvas viewport has stopped moving (after a fit, zoom or focus), on the
   * app's word and the drawing's: the canvas has answered the editor's latest focus request
   * (`data-focus-done`), no view move it asked of React Flow is under way (`data-view-moves`,
   * renderer/canvas/view-moves.ts: a fit is queued until React Flow's next render, so the
   * transform alone cannot tell that one is coming), no pan/zoom transition is scheduled on
   * React Flow's zoom pane (d3's `__transition`), and the transform is the same over 4
   * animation frames and 400 ms in a row, so a renderer short of frames cannot pass it early.
   */
  async settleViewport(): Promise<void> {
    // page.evaluate awaits the promise. (waitForFunction does not: it took the pending promise
    // for a truthy answer, so until this change the wait returned at once, every time.)
    const settled = await this.page.evaluate(
      (limit) =>
        new Promise<string | null>((resolve) => {
          // Looked up on every frame: the canvas may be mounted again meanwhile (a design opened).
          const canvasEl = () => document.querySelector('[data-testid="canvas"]') as HTMLElement | null;
          const paneEl = () => document.querySelector('.react-flow__renderer') as (HTMLElement & { __transition?: unknown }) | null;
          const read = () => (document.querySelector('.react-flow__viewport') as HTMLElement | null)?.style.transform;
          const still = () => {
            const canvas = canvasEl();
            const pane = paneEl();
            if (!canvas || !pane) return false;
            const asked = (window as unknown as { __topolab?: { editor: { state: { focus: { nonce: number } | null } } } }).__topolab?.editor.state.focus?.nonce;
            return (asked === undefined || canvas.dataset['focusDone'] === String(asked)) && (canvas.dataset['viewMoves'] ?? '0') === '0' && pane.__transition === undefined;
          };
          const began = performance.now();
          let last = read();
          let since = began;
          let frames = 0;
          const step = () => {
            const now = performance.now();
            const transform = read();
            if (!still() || transform !== last) {
              last = transform;
              since = now;
              frames = 0;
            } else if (++frames >= 4 && now - since >= 400) {
              return resolve(null);
            }
            if (now - began > limit) {
              const canvas = canvasEl();
              const pane = paneEl();
              return resolve(
                canvas && pane
                  ? `the view did not settle in ${limit} ms: view-moves ${canvas.dataset['viewMoves'] ?? '0'}, focus-done ${canvas.dataset['focusDone'] ?? '-'}, transition ${pane.__transition === undefined ? 'none' : 'under way'}, transform ${String(transform)}`
                  : `no canvas on the page after ${limit} ms`,
              );
            }
            requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        }),
      20_000,
    );
    if (settled !== null) throw new Error(`settleViewport: ${settled}`);
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
