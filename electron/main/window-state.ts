/**
 * Remembered window sizes and positions: one entry per document path plus the last
 * window's, in a JSON file in the user-data folder, written atomically. Positions are
 * checked against the current displays on restore, so a window never opens off screen
 * after a monitor was unplugged.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/api/host.js';

/** A window's outer rectangle, in screen coordinates. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered of one window. */
export interface WindowPlacement extends Bounds {
  maximized: boolean;
}

const PlacementSchema = z.strictObject({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
});

const StateSchema = z.strictObject({
  version: z.literal(1),
  last: PlacementSchema.optional(),
  documents: z.record(z.string(), PlacementSchema),
});

/** The whole file. */
export type WindowStateFile = z.infer<typeof StateSchema>;

/** How many documents keep their own placement (oldest forgotten first). */
export const MAX_REMEMBERED_DOCUMENTS = 50;
/** A new window's size when nothing is remembered. */
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
/** The smallest window the layout works in. */
export const MIN_SIZE = { width: 640, height: 420 } as const;
/** How much of a window must lie on a display for its position to be kept. */
const MIN_VISIBLE = { width: 120, height: 60 } as const;

/** An empty state. */
export function emptyWindowState(): WindowStateFile {
  return { version: 1, documents: {} };
}

/** Reads the state file; a missing, unreadable or malformed file gives an empty state (never a crash). */
export async function loadWindowState(file: string): Promise<WindowStateFile> {
  try {
    const parsed = StateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : emptyWindowState();
  } catch {
    return emptyWindowState();
  }
}

/** Writes the state file atomically: a crash mid-write keeps the previous state. */
export async function saveWindowState(file: string, state: WindowStateFile): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Records a window's placement for its document (and as the last one), keeping the newest entries. */
export function rememberPlacement(state: WindowStateFile, documentPath: string | null, placement: WindowPlacement): WindowStateFile {
  const documents = { ...state.documents };
  if (documentPath) {
    delete documents[documentPath];
    documents[documentPath] = placement;
    const keys = Object.keys(documents);
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED_DOCUMENTS))) delete documents[key];
  }
  return { version: 1, last: placement, documents };
}

function overlap(a: Bounds, b: Bounds): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where a window opens: the document's placement, else the last one (offset so the new
 * window does not hide the previous), else centred on the primary display. The size is
 * capped to the display, and a position not visible on any display is re-centred.
 */
export function placeWindow(state: WindowStateFile, documentPath: string | null, workAreas: readonly Bounds[]): WindowPlacement {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const remembered = (documentPath ? state.documents[documentPath] : undefined) ?? (state.last ? { ...state.last, x: state.last.x + 24, y: state.last.y + 24 } : undefined);
  const width = Math.max(MIN_SIZE.width, Math.min(remembered?.width ?? DEFAULT_SIZE.width, primary.width));
  const height = Math.max(MIN_SIZE.height, Math.min(remembered?.height ?? DEFAULT_SIZE.height, primary.height));
  const centred = { x: primary.x + Math.round((primary.width - width) / 2), y: primary.y + Math.round((primary.height - height) / 2), width, height, maximized: false };
  if (!remembered) return centred;
  const candidate = { x: remembered.x, y: remembered.y, width, height };
  const visible = workAreas.some((area) => {
    const o = overlap(candidate, area);
    return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height;
  });
  return visible ? { ...candidate, maximized: remembered.maximized } : { ...centred, maximized: remembered.maximized };
}
