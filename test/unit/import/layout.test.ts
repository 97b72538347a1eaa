import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoLayout, estimatedHeaderWidth, FIT_BOX } from '../../../core/import/design/layout.js';
import { importAws } from '../../../core/import/index.js';
import { KINDS } from '../../../core/model/kinds/index.js';
import type { Topology, TopologyNode } from '../../../core/model/types.js';

/**
 * The import's automatic layout: nested, nothing overlapping, every child inside its
 * container below its header, every container as wide as its header, and shaped for the
 * canvas (a 1280x800 window beside the import report) rather than one long row of VPCs.
 * The app test (test/e2e/app/import-layout.spec.ts) checks the drawn result in Chromium.
 */
const LEAF = { width: 176, height: 56 };
const HEADER = 36;

function fixture(folder: string): Topology {
  const dir = new URL(`../../fixtures/import/${folder}/`, import.meta.url).pathname;
  return importAws(readdirSync(dir).map((name) => ({ name: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }))).topology;
}

type Rect = { x: number; y: number; width: number; height: number };

/** Absolute rectangles (layout positions are relative to the parent). */
function rects(design: Topology): Map<string, Rect> {
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const out = new Map<string, Rect>();
  const at = (id: string): Rect => {
    const known = out.get(id);
    if (known) return known;
    const entry = design.layout[id];
    if (!entry) throw new Error(`${id} has no layout entry`);
    const node = byId.get(id) as TopologyNode;
    const parent = node.parent !== undefined && byId.has(node.parent) ? at(node.parent) : { x: 0, y: 0 };
    const rect = { x: parent.x + entry.x, y: parent.y + entry.y, width: entry.width ?? LEAF.width, height: entry.height ?? LEAF.height };
    out.set(id, rect);
    return rect;
  };
  for (const node of design.nodes) at(node.id);
  return out;
}

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Everything wrong with a layout: overlapping siblings, a child outside its container or over its header, a header cut. */
function problems(design: Topology): string[] {
  const all = rects(design);
  const out: string[] = [];
  for (const node of design.nodes) {
    const r = all.get(node.id) as Rect;
    const isContainer = KINDS[node.kind].traits.container !== false;
    if (isContainer && r.width < estimatedHeaderWidth(node)) out.push(`${node.id}: narrower than its header`);
    if (!isContainer && (design.layout[node.id]?.width !== undefined || design.layout[node.id]?.height !== undefined)) out.push(`${node.id}: a leaf with a size`);
    if (node.parent !== undefined) {
      const p = all.get(node.parent) as Rect;
      if (r.x < p.x || r.y < p.y + HEADER || r.x + r.width > p.x + p.width || r.y + r.height > p.y + p.height) out.push(`${node.id}: outside ${node.parent} or over its header`);
    }
    for (const other of design.nodes) {
      if (other.id <= node.id || other.parent !== node.parent) continue;
      if (overlap(r, all.get(other.id) as Rect)) out.push(`${node.id} overlaps ${other.id}`);
    }
  }
  return out;
}

/** The zoom-out factor a layout needs to fit the canvas box at the legible zoom (1 when it fits). */
function fit(design: Topology): number {
  const all = [...rects(design).values()];
  const width = Math.max(...all.map((r) => r.x + r.width));
  const height = Math.max(...all.map((r) => r.y + r.height));
  return Math.min(FIT_BOX.width / width, FIT_BOX.height / height, 1);
}

/** A generated import: `vpcs` VPCs of `subnets` subnets of `servers` servers, plus a table and a group per VPC. */
function generated(vpcs: number, subnets: number, servers: number): TopologyNode[] {
  const nodes: TopologyNode[] = [];
  for (let v = 0; v < vpcs; v++) {
    nodes.push({ id: `vpc-${v}`, kind: 'vpc', cidr: `10.${v}.0.0/16` });
    nodes.push({ id: `rtb-${v}`, kind: 'route-table', parent: `vpc-${v}`, subnets: [], routes: [] });
    nodes.push({ id: `sg-${v}`, kind: 'security-group', parent: `vpc-${v}`, inbound: [], outbound: [] } as unknown as TopologyNode);
    for (let s = 0; s < subnets; s++) {
      nodes.push({ id: `subnet-${v}-${s}`, kind: 'subnet', parent: `vpc-${v}`, cidr: `10.${v}.${s}.0/24`, zone: 'us-east-1a', name: `a subnet with a long name ${s}` });
      for (let i = 0; i < servers; i++) nodes.push({ id: `i-${v}-${s}-${i}`, kind: 'server', parent: `subnet-${v}-${s}` } as TopologyNode);
    }
  }
  return nodes;
}

describe('import layout', () => {
  it('lays out the fixtures with nothing overlapping, every child inside its container and every header whole', () => {
    for (const folder of ['aws', 'aws-ipv6']) expect(problems(fixture(folder)), folder).toEqual([]);
  });

  it('fits a small one-VPC import in the canvas at the legible zoom', () => {
    const nodes = generated(1, 2, 2);
    expect(fit({ schema: 'topolab/1', name: 'small', provider: 'aws', nodes, edges: [], layout: autoLayout(nodes) })).toBe(1);
  });

  it('stacks or sets VPCs side by side by what fits the canvas, not always in one row', () => {
    const design = fixture('aws');
    const all = rects(design);
    const [a, b] = ['vpc-0a1111111111111aa', 'vpc-0b2222222222222bb'].map((id) => all.get(id) as Rect);
    expect(overlap(a as Rect, b as Rect)).toBe(false);
    // In one row the two VPCs needed a zoom-out of 0.37 (2,352 px wide); packed, far less.
    expect(fit(design)).toBeGreaterThan(0.6);
  });

  it('keeps a large import sound and shaped like the canvas, the same every time', () => {
    const nodes = generated(6, 5, 3);
    const layout = autoLayout(nodes);
    const design: Topology = { schema: 'topolab/1', name: 'big', provider: 'aws', nodes, edges: [], layout };
    expect(problems(design)).toEqual([]);
    const all = [...rects(design).values()];
    const width = Math.max(...all.map((r) => r.x + r.width));
    const height = Math.max(...all.map((r) => r.y + r.height));
    // Neither one long row nor one long column: within a factor of two of the canvas's shape.
    const ratio = width / height / (FIT_BOX.width / FIT_BOX.height);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
    expect(autoLayout(nodes)).toEqual(layout);
  });
});
