import { describe, expect, it } from 'vitest';
import { freeCorner } from '../../../renderer/canvas/minimap.js';
import { FAR_ZOOM, LEGIBLE_ZOOM, legibleViewport, panIntoView, PATH_ZOOM, screenToFlowRect, unionRect, visibleRect } from '../../../renderer/canvas/viewport.js';

const canvas = { width: 800, height: 600 };

describe('legibleViewport: the app never picks an illegible zoom', () => {
  it('fits and centres a target that fits legibly, up to the largest zoom asked', () => {
    const view = legibleViewport({ x: 100, y: 100, width: 400, height: 200 }, canvas, { padding: 50, maxZoom: 1 });
    expect(view.zoom).toBe(1);
    const shown = visibleRect(view, canvas);
    expect(shown.x + shown.width / 2).toBeCloseTo(300);
    expect(shown.y + shown.height / 2).toBeCloseTo(200);
  });

  it('fits a target smaller than the view below the largest zoom but above the legible one', () => {
    const view = legibleViewport({ x: 0, y: 0, width: 900, height: 300 }, canvas, { padding: 50 });
    expect(view.zoom).toBeCloseTo(700 / 900);
    expect(view.zoom).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
  });

  it('a target too big stays at the legible zoom and shows its top-left part by default', () => {
    const view = legibleViewport({ x: 0, y: 0, width: 4000, height: 3000 }, canvas, { padding: 40 });
    expect(view.zoom).toBe(LEGIBLE_ZOOM);
    const shown = visibleRect(view, canvas);
    expect(shown.x).toBeCloseTo(-40 / LEGIBLE_ZOOM);
    expect(shown.y).toBeCloseTo(-40 / LEGIBLE_ZOOM);
  });

  it('a trace path (minZoom PATH_ZOOM) is fitted whole below the legible zoom, and centred on its anchor past that floor', () => {
    const path = { x: 0, y: 0, width: 1400, height: 300 };
    const whole = legibleViewport(path, canvas, { padding: 40, minZoom: PATH_ZOOM });
    expect(whole.zoom).toBeCloseTo(720 / 1400);
    expect(whole.zoom).toBeLessThan(FAR_ZOOM);
    const shown = visibleRect(whole, canvas);
    expect(shown.x).toBeLessThanOrEqual(0);
    expect(shown.x + shown.width).toBeGreaterThanOrEqual(1400);
    expect(legibleViewport(path, canvas, { padding: 40 }).zoom).toBe(LEGIBLE_ZOOM);
    // A fit between the far view and the legible zoom goes on to the far view (titles sized on screen).
    const between = legibleViewport({ x: 0, y: 0, width: 1000, height: 300 }, canvas, { padding: 40, minZoom: PATH_ZOOM });
    expect(between.zoom).toBeLessThan(FAR_ZOOM);
    expect(visibleRect(between, canvas).width).toBeGreaterThanOrEqual(1000);
    expect(legibleViewport({ x: 0, y: 0, width: 10_000, height: 300 }, canvas, { padding: 40, minZoom: PATH_ZOOM }).zoom).toBe(PATH_ZOOM);
  });

  it('centres on the anchor when the target does not fit, but never past the target with more than the padding', () => {
    const target = { x: 0, y: 0, width: 4000, height: 400 };
    const middle = legibleViewport(target, canvas, { padding: 40, anchor: { x: 2000, y: 100, width: 176, height: 56 } });
    const shown = visibleRect(middle, canvas);
    expect(shown.x + shown.width / 2).toBeCloseTo(2088);
    // The height fits: centred on the target, not on the anchor.
    expect(shown.y + shown.height / 2).toBeCloseTo(200);
    const atEnd = visibleRect(legibleViewport(target, canvas, { padding: 40, anchor: { x: 3990, y: 0, width: 10, height: 10 } }), canvas);
    expect(atEnd.x + atEnd.width).toBeCloseTo(4000 + 40 / LEGIBLE_ZOOM);
  });

  it('an anchor larger than the view is shown from its start (a container by its header)', () => {
    const view = legibleViewport({ x: 0, y: 0, width: 5000, height: 5000 }, canvas, { padding: 40, anchor: { x: 1000, y: 1000, width: 2000, height: 2000 } });
    const shown = visibleRect(view, canvas);
    expect(shown.x).toBeCloseTo(1000 - 40 / LEGIBLE_ZOOM);
    expect(shown.y).toBeCloseTo(1000 - 40 / LEGIBLE_ZOOM);
  });

  it('never zooms in past maxZoom, even below the legible zoom', () => {
    expect(legibleViewport({ x: 0, y: 0, width: 5000, height: 5000 }, canvas, { maxZoom: 0.5 }).zoom).toBe(0.5);
  });
});

describe('panIntoView', () => {
  const view = { x: 0, y: 0, zoom: 1 };
  it('leaves a rectangle already in view, pans just enough otherwise, at the same zoom', () => {
    expect(panIntoView(view, { x: 100, y: 100, width: 50, height: 50 }, canvas)).toEqual(view);
    expect(panIntoView(view, { x: 900, y: 100, width: 50, height: 50 }, canvas, 20)).toEqual({ x: -(950 - 780), y: 0, zoom: 1 });
    expect(panIntoView({ x: 0, y: 0, zoom: 2 }, { x: -30, y: 10, width: 20, height: 20 }, canvas, 20)).toEqual({ x: 80, y: 0, zoom: 2 });
  });
  it('shows the top-left part of a rectangle bigger than the canvas', () => {
    expect(panIntoView(view, { x: 500, y: 0, width: 2000, height: 50 }, canvas, 20).x).toBe(-480);
  });
});

describe('rectangles', () => {
  it('unionRect and screenToFlowRect', () => {
    expect(unionRect([])).toBeNull();
    expect(unionRect([{ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: -5, width: 5, height: 5 }])).toEqual({ x: 0, y: -5, width: 25, height: 15 });
    expect(screenToFlowRect({ x: 100, y: 50, width: 200, height: 100 }, { x: 20, y: 10, zoom: 2 })).toEqual({ x: 40, y: 20, width: 100, height: 50 });
  });
});

describe('freeCorner: where the minimap covers no node', () => {
  it('bottom-right first, then top-right, then top-left; none when every corner is taken', () => {
    expect(freeCorner([], 800, 600)).toBe('bottom-right');
    const bottomRight = { x: 700, y: 500, width: 50, height: 50 };
    expect(freeCorner([bottomRight], 800, 600)).toBe('top-right');
    const topRight = { x: 700, y: 20, width: 50, height: 50 };
    expect(freeCorner([bottomRight, topRight], 800, 600)).toBe('top-left');
    expect(freeCorner([bottomRight, topRight, { x: 0, y: 0, width: 300, height: 300 }], 800, 600)).toBeNull();
    // A node that only touches the map's area from outside does not count: the map is drawn
    // 202 x 152 (200 x 150 and its 1 px border), 15 px from the edges.
    expect(freeCorner([{ x: 300, y: 0, width: 283, height: 600 }], 800, 600)).toBe('bottom-right');
    // One that reaches into its border does (and takes both right-hand corners here).
    expect(freeCorner([{ x: 300, y: 0, width: 284, height: 600 }], 800, 600)).toBe('top-left');
    expect(freeCorner([{ x: 600, y: 0, width: 100, height: 433 }], 800, 600)).toBe('bottom-right');
    expect(freeCorner([{ x: 600, y: 0, width: 100, height: 434 }], 800, 600)).toBe('top-left');
  });
});
