/**
 * The sizes of the panels around the canvas: the user's remembered preferences, and the
 * sizes actually drawn for a window, where the canvas always keeps at least half of the
 * window's width and half of its height. Pure, so the rule is unit-tested.
 */

/** What the user chose (dragged or toggled), remembered across sessions. */
export interface PanelPrefs {
  paletteWidth: number;
  paletteCollapsed: boolean;
  /** The right-hand sidebar: inspector (or the reachability tool) over the diagnostics. */
  sidebarWidth: number;
  sidebarCollapsed: boolean;
  /** Height of the lab dock's body while it is open, pixels. */
  dockHeight: number;
}

/** Limits of each panel, pixels. A collapsed side panel is a rail. */
export const PANEL_LIMITS = {
  palette: { min: 168, max: 360, rail: 52 },
  sidebar: { min: 260, max: 600, rail: 44 },
  dock: { min: 120, max: 900 },
} as const;

/** Preferences before the user changes any. */
export const DEFAULT_PANELS: PanelPrefs = { paletteWidth: 196, paletteCollapsed: false, sidebarWidth: 320, sidebarCollapsed: false, dockHeight: 300 };

/** The sizes drawn for one window. */
export interface PanelLayout {
  palette: { width: number; collapsed: boolean };
  sidebar: { width: number; collapsed: boolean };
  /** Widest the two side panels may be together. */
  sideBudget: number;
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * The side panels' widths for a window `width` wide: each preference clamped to its
 * limits, then, while the two take more than half of the window, the sidebar and the
 * palette give way down to their minimum, then the palette and finally the sidebar fold
 * to rails (for this window only: the preference is kept).
 */
export function sidePanels(prefs: PanelPrefs, width: number): PanelLayout {
  const budget = Math.floor(width / 2);
  let palette = prefs.paletteCollapsed ? PANEL_LIMITS.palette.rail : clamp(prefs.paletteWidth, PANEL_LIMITS.palette.min, PANEL_LIMITS.palette.max);
  let sidebar = prefs.sidebarCollapsed ? PANEL_LIMITS.sidebar.rail : clamp(prefs.sidebarWidth, PANEL_LIMITS.sidebar.min, PANEL_LIMITS.sidebar.max);
  let paletteCollapsed = prefs.paletteCollapsed;
  let sidebarCollapsed = prefs.sidebarCollapsed;
  const over = (): number => palette + sidebar - budget;
  if (over() > 0 && !sidebarCollapsed) sidebar = Math.max(PANEL_LIMITS.sidebar.min, sidebar - over());
  if (over() > 0 && !paletteCollapsed) palette = Math.max(PANEL_LIMITS.palette.min, palette - over());
  if (over() > 0 && !paletteCollapsed) {
    palette = PANEL_LIMITS.palette.rail;
    paletteCollapsed = true;
    // The rail frees room: the sidebar takes back what it gave, up to its preference.
    if (!sidebarCollapsed) sidebar = Math.max(PANEL_LIMITS.sidebar.min, Math.min(clamp(prefs.sidebarWidth, PANEL_LIMITS.sidebar.min, PANEL_LIMITS.sidebar.max), budget - palette));
  }
  if (over() > 0 && !sidebarCollapsed) {
    sidebar = PANEL_LIMITS.sidebar.rail;
    sidebarCollapsed = true;
  }
  return { palette: { width: palette, collapsed: paletteCollapsed }, sidebar: { width: sidebar, collapsed: sidebarCollapsed }, sideBudget: budget };
}

/**
 * The open lab dock's height: the preference, at most what leaves the canvas half of the
 * window's height. `stageHeight` is the height canvas and dock share; `chrome` is what the
 * dock takes besides its body (its bar, margins).
 */
export function dockHeight(prefs: PanelPrefs, windowHeight: number, stageHeight: number, chrome: number): number {
  const room = stageHeight - Math.ceil(windowHeight / 2) - chrome;
  const max = Math.min(PANEL_LIMITS.dock.max, room);
  return Math.max(0, Math.floor(clamp(prefs.dockHeight, Math.min(PANEL_LIMITS.dock.min, max), max)));
}

/** A stored preference object, checked field by field (anything wrong falls back to the default). */
export function parsePanelPrefs(value: unknown): PanelPrefs {
  const saved = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const number = (key: keyof PanelPrefs, min: number, max: number): number => {
    const v = saved[key];
    return typeof v === 'number' && Number.isFinite(v) ? clamp(Math.round(v), min, max) : (DEFAULT_PANELS[key] as number);
  };
  const flag = (key: keyof PanelPrefs): boolean => (typeof saved[key] === 'boolean' ? (saved[key] as boolean) : (DEFAULT_PANELS[key] as boolean));
  return {
    paletteWidth: number('paletteWidth', PANEL_LIMITS.palette.min, PANEL_LIMITS.palette.max),
    paletteCollapsed: flag('paletteCollapsed'),
    sidebarWidth: number('sidebarWidth', PANEL_LIMITS.sidebar.min, PANEL_LIMITS.sidebar.max),
    sidebarCollapsed: flag('sidebarCollapsed'),
    dockHeight: number('dockHeight', PANEL_LIMITS.dock.min, PANEL_LIMITS.dock.max),
  };
}
