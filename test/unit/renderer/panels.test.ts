import { describe, expect, it } from 'vitest';
import { DEFAULT_PANELS, dockHeight, PANEL_LIMITS, parsePanelPrefs, sidePanels } from '../../../renderer/layout/panels.js';

describe('sidePanels: the canvas keeps at least half of the window width', () => {
  const cases: { name: string; width: number; prefs?: Partial<typeof DEFAULT_PANELS>; palette: number; sidebar: number; paletteRail?: boolean; sidebarRail?: boolean }[] = [
    { name: 'the defaults fit a 1280 px window as they are', width: 1280, palette: 196, sidebar: 320 },
    { name: 'at 1024 px the sidebar gives way first', width: 1024, palette: 196, sidebar: 316 },
    { name: 'wide preferences are cut to half the window', width: 1280, prefs: { paletteWidth: 360, sidebarWidth: 600 }, palette: 360, sidebar: 280 },
    { name: 'then the palette gives way down to its minimum', width: 900, prefs: { paletteWidth: 300, sidebarWidth: 400 }, palette: 190, sidebar: 260 },
    { name: 'then the palette folds to a rail', width: 800, palette: PANEL_LIMITS.palette.rail, sidebar: 320, paletteRail: true },
    { name: 'and last the sidebar', width: 400, palette: PANEL_LIMITS.palette.rail, sidebar: PANEL_LIMITS.sidebar.rail, paletteRail: true, sidebarRail: true },
    { name: 'a folded panel is a rail whatever the window', width: 1600, prefs: { paletteCollapsed: true }, palette: PANEL_LIMITS.palette.rail, sidebar: 320, paletteRail: true },
    { name: 'preferences outside the limits are clamped', width: 1600, prefs: { paletteWidth: 20, sidebarWidth: 5000 }, palette: PANEL_LIMITS.palette.min, sidebar: PANEL_LIMITS.sidebar.max },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const layout = sidePanels({ ...DEFAULT_PANELS, ...c.prefs }, c.width);
      expect(layout.palette).toEqual({ width: c.palette, collapsed: c.paletteRail ?? false });
      expect(layout.sidebar).toEqual({ width: c.sidebar, collapsed: c.sidebarRail ?? false });
      if (!c.sidebarRail) expect(layout.palette.width + layout.sidebar.width).toBeLessThanOrEqual(c.width / 2);
    });
  }
});

describe('dockHeight: the open dock leaves the canvas half of the window height', () => {
  it('keeps the preference when there is room', () => {
    expect(dockHeight({ ...DEFAULT_PANELS, dockHeight: 200 }, 1000, 930, 60)).toBe(200);
  });
  it('cuts it where the canvas would get less than half', () => {
    // 800 px window, 727 px stage, 57 px of bar and margins: at most 727 - 400 - 57.
    expect(dockHeight({ ...DEFAULT_PANELS, dockHeight: 900 }, 800, 727, 57)).toBe(270);
  });
  it('never below its minimum when there is room for it, never negative', () => {
    expect(dockHeight({ ...DEFAULT_PANELS, dockHeight: 10 }, 800, 727, 57)).toBe(PANEL_LIMITS.dock.min);
    expect(dockHeight(DEFAULT_PANELS, 800, 300, 57)).toBe(0);
  });
});

describe('parsePanelPrefs', () => {
  it('keeps good values, clamps numbers and falls back field by field', () => {
    expect(parsePanelPrefs({ paletteWidth: 250.4, sidebarWidth: 10, paletteCollapsed: true, dockHeight: 'tall' })).toEqual({
      ...DEFAULT_PANELS,
      paletteWidth: 250,
      sidebarWidth: PANEL_LIMITS.sidebar.min,
      paletteCollapsed: true,
    });
  });
  it('anything else is the defaults', () => {
    expect(parsePanelPrefs(undefined)).toEqual(DEFAULT_PANELS);
    expect(parsePanelPrefs('wide')).toEqual(DEFAULT_PANELS);
    expect(parsePanelPrefs({ paletteWidth: Number.NaN })).toEqual(DEFAULT_PANELS);
  });
});
