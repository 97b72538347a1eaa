import { describe, expect, it } from 'vitest';
import { emptyTopology, type Topology } from '../../../core/model/index.js';
import { moveNodes } from '../../../renderer/actions/edit.js';
import { absoluteRects, type Rect } from '../../../renderer/actions/geometry.js';
import { addNode } from '../../../renderer/actions/place.js';
import { contentBox, freeSpot } from '../../../renderer/actions/room.js';

const inside = (outer: Rect, inner: Rect): boolean => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every node inside its parent's content box, and no two siblings overlapping: what the canvas must draw. */
function expectTidy(doc: Topology): void {
  const rects = absoluteRects(doc);
  for (const node of doc.nodes) {
    const rect = rects.get(node.id) as Rect;
    if (node.parent !== undefined) expect(inside(contentBox(rects.get(node.parent) as Rect), rect), `${node.id} inside ${node.parent}`).toBe(true);
    for (const other of doc.nodes) {
      if (other.id <= node.id || other.parent !== node.parent) continue;
      expect(overlap(rect, rects.get(other.id) as Rect), `${node.id} and ${other.id} overlap`).toBe(false);
    }
  }
}

/** The visible flow area of a 764 x 668 canvas at zoom 1 (1280x800 window). */
const VIEW = { x: 0, y: 0, width: 764, height: 668 };

describe('freeSpot', () => {
  const size = { width: 100, height: 50 };
  it('keeps the wanted spot when it is free, else takes the nearest free one', () => {
    expect(freeSpot({ x: 0, y: 0 }, size, [])).toEqual({ x: 0, y: 0 });
    const spot = freeSpot({ x: 0, y: 0 }, size, [{ x: 0, y: 0, width: 100, height: 50 }]);
    expect(spot).not.toBeNull();
    expect(overlap({ ...(spot as { x: number; y: number }), ...size }, { x: -16, y: -16, width: 132, height: 82 })).toBe(false);
  });
  it('moves the wanted spot into the bounds, and finds none when they are too small or full', () => {
    expect(freeSpot({ x: 500, y: 500 }, size, [], { bounds: { x: 0, y: 0, width: 200, height: 200 } })).toEqual({ x: 100, y: 150 });
    expect(freeSpot({ x: 0, y: 0 }, size, [], { bounds: { x: 0, y: 0, width: 50, height: 200 } })).toBeNull();
    expect(freeSpot({ x: 0, y: 0 }, size, [{ x: 0, y: 0, width: 200, height: 200 }], { bounds: { x: 0, y: 0, width: 200, height: 200 } })).toBeNull();
  });
});

describe('drops are drawn where the model puts them, and nothing overlaps (issue 16)', () => {
  function vpcAndSubnet(): Topology {
    let doc = addNode(emptyTopology(), { kind: 'vpc', at: { x: 380, y: 300 }, view: VIEW, snapToGrid: true });
    doc = addNode(doc, { kind: 'subnet', at: { x: 250, y: 250 }, snapToGrid: true });
    return doc;
  }

  it('the first VPC fits the visible canvas', () => {
    const doc = addNode(emptyTopology(), { kind: 'vpc', at: { x: 100, y: 100 }, view: { x: 0, y: 0, width: 500, height: 330 } });
    const vpc = absoluteRects(doc).get('vpc-1') as Rect;
    expect(inside({ x: 0, y: 0, width: 500, height: 330 }, vpc)).toBe(true);
  });

  it('a server dropped 36 px inside a subnet\'s edge is drawn inside the subnet and its VPC', () => {
    let doc = vpcAndSubnet();
    const subnet = absoluteRects(doc).get('subnet-1') as Rect;
    doc = addNode(doc, { kind: 'server', at: { x: subnet.x + subnet.width - 36, y: subnet.y + subnet.height - 36 }, snapToGrid: true });
    expect(doc.nodes.find((n) => n.id === 'web-1')?.parent).toBe('subnet-1');
    expectTidy(doc);
  });

  it('a second subnet dropped on the first lands beside it, with room between their handles', () => {
    let doc = vpcAndSubnet();
    const first = absoluteRects(doc).get('subnet-1') as Rect;
    doc = addNode(doc, { kind: 'subnet', at: { x: first.x + first.width / 2 + 20, y: first.y + first.height / 2 }, snapToGrid: true });
    expect(doc.nodes.find((n) => n.id === 'subnet-2')?.parent).toBe('vpc-1');
    expectTidy(doc);
    const second = absoluteRects(doc).get('subnet-2') as Rect;
    const apart = Math.max(second.x - (first.x + first.width), first.x - (second.x + second.width), second.y - (first.y + first.height), first.y - (second.y + second.height));
    expect(apart).toBeGreaterThanOrEqual(16);
  });

  it('a second VPC dropped on the first goes beside it', () => {
    let doc = vpcAndSubnet();
    doc = addNode(doc, { kind: 'vpc', at: { x: 380, y: 300 }, view: VIEW, snapToGrid: true });
    expect(doc.nodes.find((n) => n.id === 'vpc-2')?.parent).toBeUndefined();
    expectTidy(doc);
  });

  it('a full subnet grows to hold a new server and pushes its neighbours aside; its VPC grows too', () => {
    let doc = vpcAndSubnet();
    const first = absoluteRects(doc).get('subnet-1') as Rect;
    doc = addNode(doc, { kind: 'subnet', at: { x: first.x + first.width + 200, y: first.y + 100 }, snapToGrid: true });
    for (let i = 0; i < 8; i++) doc = addNode(doc, { kind: 'server', at: { x: first.x + 100, y: first.y + 80 }, snapToGrid: true });
    expect(doc.nodes.filter((n) => n.parent === 'subnet-1')).toHaveLength(8);
    expectTidy(doc);
  });

  it('a server moved half out of its subnet grows the subnet, so the drawing agrees with the model', () => {
    let doc = vpcAndSubnet();
    doc = addNode(doc, { kind: 'server', at: { x: 200, y: 230 }, snapToGrid: true });
    const subnet = absoluteRects(doc).get('subnet-1') as Rect;
    doc = moveNodes(doc, { moves: [{ id: 'web-1', position: { x: subnet.x + subnet.width - 120, y: subnet.y + 60 } }] });
    expect(doc.nodes.find((n) => n.id === 'web-1')?.parent).toBe('subnet-1');
    expectTidy(doc);
  });
});
