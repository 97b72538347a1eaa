import { expect, type Locator } from '@playwright/test';
import type { Topology } from '../../../../core/model/index.js';
import { EditorPage } from './editor.js';

type Direction = 'inbound' | 'outbound';

/**
 * Security groups and network ACLs on the canvas: the rule tables of a group or an ACL,
 * a node's groups in the inspector, the group chips nodes are dropped on, the badges, and
 * the trace panel's filter lines. Selectors live here only.
 */
export class FiltersPage extends EditorPage {
  /** A row of a security group's rule table (its index in the group's list). */
  sgRow(direction: Direction, i: number): Locator {
    return this.byTestId(`sg-${direction}-row-${i}`);
  }

  /** Adds a rule to the selected security group and returns its index. */
  async addSgRule(direction: Direction): Promise<number> {
    const before = await this.page.locator(`[data-testid^="sg-${direction}-row-"]`).count();
    await this.byTestId(`sg-${direction}-add`).click();
    await expect(this.sgRow(direction, before)).toBeVisible();
    return before;
  }

  /** Sets a security group rule's fields as a user would. */
  async editSgRule(direction: Direction, i: number, fields: { protocol?: string; ports?: string; peer?: string }): Promise<void> {
    if (fields.protocol) await this.byTestId(`sg-${direction}-protocol-${i}`).selectOption(fields.protocol);
    if (fields.ports !== undefined) await this.byTestId(`sg-${direction}-ports-${i}`).fill(fields.ports);
    if (fields.peer !== undefined) await this.byTestId(`sg-${direction}-peer-${i}`).fill(fields.peer);
    await this.byTestId(`sg-${direction}-rules`).click({ position: { x: 2, y: 2 } });
  }

  /** A security group rule's hint line(s). */
  sgHint(direction: Direction, i: number): Locator {
    return this.byTestId(`sg-${direction}-hint-${i}`);
  }

  /** Rule numbers of the selected ACL's table, top to bottom (evaluation order). */
  async aclOrder(direction: Direction): Promise<number[]> {
    return this.page.locator(`[data-testid^="acl-${direction}-row-"]`).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-rule'))));
  }

  /** Adds a rule to the selected ACL and returns its index in the list. */
  async addAclRule(direction: Direction): Promise<number> {
    const before = await this.page.locator(`[data-testid^="acl-${direction}-row-"]`).count();
    await this.byTestId(`acl-${direction}-add`).click();
    await expect(this.byTestId(`acl-${direction}-row-${before}`)).toBeVisible();
    return before;
  }

  /** Sets an ACL rule's fields; the number is committed with Enter, as a user would. */
  async editAclRule(direction: Direction, i: number, fields: { number?: number; action?: 'allow' | 'deny'; protocol?: string; ports?: string; cidr?: string }): Promise<void> {
    if (fields.action) await this.byTestId(`acl-${direction}-action-${i}`).selectOption(fields.action);
    if (fields.protocol) await this.byTestId(`acl-${direction}-protocol-${i}`).selectOption(fields.protocol);
    if (fields.ports !== undefined) await this.byTestId(`acl-${direction}-ports-${i}`).fill(fields.ports);
    if (fields.cidr !== undefined) await this.byTestId(`acl-${direction}-cidr-${i}`).fill(fields.cidr);
    if (fields.number !== undefined) {
      const input = this.byTestId(`acl-${direction}-number-${i}`);
      await input.fill(String(fields.number));
      await input.press('Enter');
    }
  }

  aclHint(direction: Direction, i: number): Locator {
    return this.byTestId(`acl-${direction}-hint-${i}`);
  }

  /** Moves an ACL rule up or down (swapping numbers with its neighbour). */
  async moveAclRule(direction: Direction, i: number, way: 'up' | 'down'): Promise<void> {
    await this.byTestId(`acl-${direction}-${way}-${i}`).click();
  }

  /** Associates a subnet with the selected ACL with its picker. */
  async associateSubnet(subnetId: string): Promise<void> {
    await this.byTestId('acl-add-subnet').selectOption(subnetId);
  }

  /** Ticks or unticks the selected group's or ACL's "default" box. */
  async setDefault(kind: 'sg' | 'acl', on: boolean): Promise<void> {
    await this.byTestId(`input-${kind}-default`).setChecked(on);
  }

  /** The groups badge under a node on the canvas. */
  badge(id: string): Locator {
    return this.byTestId(`sg-badge-${id}`);
  }

  /** Puts the selected node in a group with the inspector's picker. */
  async joinGroup(groupId: string): Promise<void> {
    await this.byTestId('sg-join').selectOption(groupId);
  }

  /** Takes the selected node out of a group with its chip's ×. */
  async leaveGroup(groupId: string): Promise<void> {
    await this.byTestId(`sg-leave-${groupId}`).click();
  }

  /** Drags a node onto a security group's chip on the canvas and lets go there. */
  async dropOnGroup(nodeId: string, groupId: string): Promise<void> {
    const from = await this.node(nodeId).boundingBox();
    const to = await this.node(groupId).boundingBox();
    if (!from || !to) throw new Error(`${nodeId} or ${groupId} is not visible`);
    const start = { x: from.x + 30, y: from.y + from.height / 2 };
    const end = { x: to.x + 30, y: to.y + to.height / 2 };
    await this.page.mouse.move(start.x, start.y);
    await this.page.mouse.down();
    await this.page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 6 });
    await this.page.mouse.move(end.x, end.y, { steps: 6 });
    await this.page.mouse.up();
  }

  /** Opens the reachability tool and traces `from` -> `to` with the pickers. */
  async trace(from: string, to: string, options: { protocol?: string; port?: string; sourcePort?: string } = {}): Promise<void> {
    if ((await this.byTestId('trace-panel').count()) === 0) await this.command('tools.trace');
    await this.byTestId('trace-from').selectOption(from);
    await this.byTestId('trace-to').fill(to);
    if (options.protocol) await this.byTestId('trace-protocol').selectOption(options.protocol);
    if (options.port !== undefined) await this.byTestId('trace-port').fill(options.port);
    if (options.sourcePort !== undefined) await this.byTestId('trace-source-port').fill(options.sourcePort);
  }

  /** The rule tags of the trace's filter hops, top to bottom. */
  async traceRules(): Promise<string[]> {
    return this.byTestId('trace-hop-rule').allInnerTexts();
  }

  /** Undo and redo with the toolbar (leaving any field being edited, as a click does). */
  async undo(): Promise<void> {
    await this.command('edit.undo');
  }

  async redo(): Promise<void> {
    await this.command('edit.redo');
  }

  /**
   * Undoes (or redoes) one step at a time until the design's nodes equal `nodes`; returns
   * how many steps that took, and fails when `max` steps never get there.
   */
  async stepUntil(way: 'undo' | 'redo', nodes: Topology['nodes'], max = 20): Promise<number> {
    const target = canonical(nodes);
    for (let steps = 0; steps <= max; steps++) {
      if (canonical((await this.doc()).nodes) === target) return steps;
      if (steps < max) await (way === 'undo' ? this.undo() : this.redo());
    }
    throw new Error(`${max} ${way} steps never reached the expected design`);
  }
}

/** JSON with sorted keys: equal designs give equal text whatever order their fields were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v));
}
