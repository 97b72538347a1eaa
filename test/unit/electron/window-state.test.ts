import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIZE,
  MAX_REMEMBERED_DOCUMENTS,
  emptyWindowState,
  loadWindowState,
  placeWindow,
  rememberPlacement,
  saveWindowState,
} from '../../../electron/main/window-state.js';
import { tempDirPerTest } from '../../support/temp.js';

const SCREEN = { x: 0, y: 0, width: 1920, height: 1040 };
const RIGHT_SCREEN = { x: 1920, y: 0, width: 1280, height: 1000 };

const dir = tempDirPerTest('topolab-window-state-');

describe('window placement', () => {
  it('centres a first window on the primary display', () => {
    expect(placeWindow(emptyWindowState(), null, [SCREEN])).toEqual({ x: 320, y: 120, ...DEFAULT_SIZE, maximized: false });
  });

  it("reopens a document where it was, including on a second display, and maximised if it was", () => {
    const placement = { x: 2000, y: 50, width: 1000, height: 700, maximized: true };
    const state = rememberPlacement(emptyWindowState(), '/d/a.topolab.json', placement);
    expect(placeWindow(state, '/d/a.topolab.json', [SCREEN, RIGHT_SCREEN])).toEqual(placement);
  });

  it('re-centres a window whose display is gone, keeping its size', () => {
    const state = rememberPlacement(emptyWindowState(), '/d/a.topolab.json', { x: 2000, y: 50, width: 1000, height: 700, maximized: false });
    expect(placeWindow(state, '/d/a.topolab.json', [SCREEN])).toEqual({ x: 460, y: 170, width: 1000, height: 700, maximized: false });
  });

  it('shrinks a window larger than the display and offsets a new window from the last one', () => {
    const state = rememberPlacement(emptyWindowState(), null, { x: 100, y: 100, width: 5000, height: 3000, maximized: false });
    expect(placeWindow(state, null, [SCREEN])).toEqual({ x: 124, y: 124, width: 1920, height: 1040, maximized: false });
  });

  it('forgets the oldest documents beyond the limit', () => {
    let state = emptyWindowState();
    for (let i = 0; i <= MAX_REMEMBERED_DOCUMENTS; i++) state = rememberPlacement(state, `/d/${i}.topolab.json`, { x: i, y: 0, width: 800, height: 600, maximized: false });
    expect(Object.keys(state.documents)).toHaveLength(MAX_REMEMBERED_DOCUMENTS);
    expect(state.documents['/d/0.topolab.json']).toBeUndefined();
    expect(state.last?.x).toBe(MAX_REMEMBERED_DOCUMENTS);
  });
});

describe('window state file', () => {
  it('round-trips through an atomic write, leaving no temp file', async () => {
    const file = join(dir(), 'window-state.json');
    const state = rememberPlacement(emptyWindowState(), '/d/a.topolab.json', { x: 10, y: 20, width: 900, height: 700, maximized: false });
    await saveWindowState(file, state);
    expect(await loadWindowState(file)).toEqual(state);
    expect(await readdir(dir())).toEqual(['window-state.json']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 });
  });

  it.each([
    ['missing', null],
    ['not JSON', '{"version":1,'],
    ['a wrong shape', '{"version":1,"documents":{"a":{"x":"left"}}}'],
    ['a future version', '{"version":2,"documents":{}}'],
  ])('gives an empty state for a %s file', async (_name, content) => {
    const file = join(dir(), 'window-state.json');
    if (content !== null) await writeFile(file, content);
    expect(await loadWindowState(file)).toEqual(emptyWindowState());
  });
});
