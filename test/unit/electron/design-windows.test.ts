import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerEventFrame } from '../../../core/api/transports/frames.js';
import { CLOSE_EVENT, CloseHandshake } from '../../../electron/main/close-handshake.js';
import { DesignWindows, designPath, windowTitle, type Dialogs } from '../../../electron/main/design-windows.js';
import { tempDirPerTest } from '../../support/temp.js';

const dir = tempDirPerTest('topolab-design-windows-');

interface Harness {
  windows: DesignWindows;
  shown: { id: number; titles: string[]; paths: (string | null)[]; focused: number }[];
  asked: string[];
  recent: string[];
  logs: string[];
  answers: { saveChanges: 'save' | 'discard' | 'cancel'; page: boolean };
  pageAsked: { id: number; save: boolean }[];
}

/** The windows with scripted dialogs and a scripted page answer. */
function harness(): Harness {
  const h = { shown: [], asked: [], recent: [], logs: [], answers: { saveChanges: 'cancel', page: true }, pageAsked: [] } as unknown as Harness;
  const dialogs: Dialogs = {
    chooseDesignsToOpen: async () => [join(dir(), 'a.topolab.json'), join(dir(), 'b.topolab.json')],
    askSaveChanges: async (_parent, name) => (h.asked.push(`save-changes ${name}`), h.answers.saveChanges),
    showError: (_parent, title, message) => void h.asked.push(`error ${title}: ${message}`),
  };
  h.windows = new DesignWindows({
    createWindow: (design) => {
      const window = { id: design.id, titles: [] as string[], paths: [] as (string | null)[], focused: 0 };
      h.shown.push(window);
      return {
        focus: () => void window.focused++,
        show: (title, _dirty, path) => {
          window.titles.push(title);
          window.paths.push(path);
        },
      };
    },
    dialogs,
    designsFolder: join(dir(), 'new'),
    addRecent: (path) => void h.recent.push(path),
    askPage: async (id, save) => {
      h.pageAsked.push({ id, save });
      return h.answers.page;
    },
    log: (line) => void h.logs.push(line),
  });
  return h;
}

async function design(name: string): Promise<string> {
  const path = join(dir(), name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '{"schema":"topolab/1"}');
  return path;
}

describe('design windows: one window per design', () => {
  it("opens a design in its own window, in the design's folder, and focuses it when opened again", async () => {
    const path = await design('web.topolab.json');
    const h = harness();
    const first = await h.windows.openPath(path);
    expect(first).toEqual({ id: 1, folder: dir(), name: 'web.topolab.json', dirty: false });
    expect(await h.windows.openPath(join(dir(), '.', 'web.topolab.json'))).toBe(first);
    expect(h.shown).toHaveLength(1);
    expect(h.shown[0]).toMatchObject({ focused: 1, titles: ['web.topolab.json — Topolab'], paths: [path] });
    expect(h.recent).toEqual([path]);
  });

  it('reports a file it cannot open instead of opening an empty window', async () => {
    const h = harness();
    expect(await h.windows.openPath(join(dir(), 'missing.topolab.json'))).toBeUndefined();
    await mkdir(join(dir(), 'folder.topolab.json'));
    expect(await h.windows.openPath(join(dir(), 'folder.topolab.json'))).toBeUndefined();
    expect(h.shown).toHaveLength(0);
    expect(h.asked).toEqual([expect.stringMatching(/^error Cannot open missing\.topolab\.json: .*ENOENT/), expect.stringMatching(/^error Cannot open folder\.topolab\.json: .* is not a file$/)]);
  });

  it('opens every design chosen in the open dialog, and new designs in the new-designs folder', async () => {
    await design('a.topolab.json');
    await design('b.topolab.json');
    const h = harness();
    expect(await h.windows.openWithDialog(null)).toHaveLength(2);
    const untitled = h.windows.newDesign();
    expect(untitled).toMatchObject({ folder: join(dir(), 'new'), name: null });
    expect(designPath(untitled)).toBeNull();
    expect(h.windows.list().map((w) => w.name)).toEqual(['a.topolab.json', 'b.topolab.json', null]);
  });
});

describe("design windows: the page's reports", () => {
  it('shows the dirty state and a name saved by the page in the title, and remembers the file', async () => {
    const h = harness();
    const untitled = h.windows.newDesign(dir());
    h.windows.changedHandler(untitled.id)({ dirty: true, name: null });
    expect(h.shown[0]?.titles.at(-1)).toBe(windowTitle(null, true));
    // The page saved it with its Save As dialog (files.write in the window's folder).
    h.windows.changed(untitled.id, false, 'sub/net.topolab.json');
    expect(h.shown[0]?.titles.at(-1)).toBe('net.topolab.json — Topolab');
    expect(h.shown[0]?.paths.at(-1)).toBe(join(dir(), 'sub', 'net.topolab.json'));
    expect(h.recent).toEqual([join(dir(), 'sub', 'net.topolab.json')]);
    // Opening that file now focuses this window.
    await design('sub/net.topolab.json');
    expect(await h.windows.openPath(join(dir(), 'sub', 'net.topolab.json'))).toBe(untitled);
  });

  it.each(['../elsewhere.topolab.json', '/etc/passwd.topolab.json', '.'])('ignores a reported name that leaves the folder: %s', (name) => {
    const h = harness();
    const window = h.windows.newDesign(dir());
    h.windows.changed(window.id, true, name);
    expect(window.name).toBeNull();
    expect(window.dirty).toBe(true);
    expect(h.logs[0]).toMatch(/leaves the folder/);
    expect(h.recent).toEqual([]);
  });
});

describe('design windows: closing with unsaved changes', () => {
  it('closes a clean window without asking', async () => {
    const h = harness();
    const window = h.windows.newDesign();
    expect(await h.windows.confirmClose(window.id)).toBe(true);
    expect(h.asked).toEqual([]);
  });

  it("asks; Cancel keeps the window and asks the page nothing; Save and Don't Save go to the page, whose answer decides", async () => {
    const h = harness();
    const window = h.windows.newDesign();
    h.windows.changed(window.id, true, null);
    expect(await h.windows.confirmClose(window.id)).toBe(false);
    expect(h.pageAsked).toEqual([]);
    h.answers.saveChanges = 'save';
    h.answers.page = false; // the page's Save As was cancelled
    expect(await h.windows.confirmClose(window.id)).toBe(false);
    h.answers.saveChanges = 'discard';
    h.answers.page = true;
    expect(await h.windows.confirmClose(window.id)).toBe(true);
    expect(h.asked).toEqual(['save-changes Untitled', 'save-changes Untitled', 'save-changes Untitled']);
    expect(h.pageAsked).toEqual([
      { id: window.id, save: true },
      { id: window.id, save: false },
    ]);
  });
});

describe('the close handshake', () => {
  const page = (listens = true) => {
    const sent: ServerEventFrame[] = [];
    return { sent, page: { listens, send: (frame: ServerEventFrame) => void sent.push(frame) } };
  };

  it("sends app.close to the page and resolves with the page's reply to that request", async () => {
    const handshake = new CloseHandshake();
    const { sent, page: p } = page();
    const answer = handshake.ask(1, true, p);
    expect(sent).toEqual([{ event: CLOSE_EVENT, payload: { requestId: 1, save: true } }]);
    handshake.reply(2, 1, true); // another window cannot answer for this one
    handshake.reply(1, 99, true); // nor an unknown request
    handshake.reply(1, 1, false);
    expect(await answer).toBe(false);
  });

  it('a newer request replaces an unanswered one; a window that goes away may close', async () => {
    const handshake = new CloseHandshake();
    const { page: p } = page();
    const first = handshake.ask(1, true, p);
    const second = handshake.ask(1, true, p);
    expect(await first).toBe(false);
    handshake.windowGone(1);
    expect(await second).toBe(true);
  });

  it("a page that does not listen cannot save (the window stays), and Don't Save closes without it", async () => {
    const logs: string[] = [];
    const handshake = new CloseHandshake((line) => void logs.push(line));
    const { sent, page: p } = page(false);
    expect(await handshake.ask(1, true, p)).toBe(false);
    expect(await handshake.ask(1, false, p)).toBe(true);
    expect(sent).toEqual([]);
    expect(logs[0]).toMatch(/does not answer app\.close/);
  });

  it("Don't Save closes anyway when a hung page never confirms", async () => {
    const logs: string[] = [];
    const handshake = new CloseHandshake((line) => void logs.push(line), 20);
    const { page: p } = page();
    expect(await handshake.ask(1, false, p)).toBe(true);
    expect(logs[0]).toMatch(/did not confirm Don't Save within 20 ms/);
  });
});
