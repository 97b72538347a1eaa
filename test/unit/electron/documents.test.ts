import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupStore } from '../../../core/files/index.js';
import { readDesign, saveDesign } from '../../../electron/main/design-files.js';
import { Documents, windowTitle, type Dialogs, type DocumentsDeps } from '../../../electron/main/documents.js';
import { tempDirPerTest } from '../../support/temp.js';

const dir = tempDirPerTest('topolab-documents-');

interface Harness {
  documents: Documents;
  windows: { id: number; titles: string[]; focused: number }[];
  asked: string[];
  recent: string[];
  answers: { saveChanges: 'save' | 'discard' | 'cancel'; recover: boolean; savePath: string | undefined };
}

/** The controller with real files, real backups and scripted dialogs. */
function harness(backupsDir = join(dir(), 'backups'), keys = ['k1', 'k2', 'k3', 'k4']): Harness {
  const h: Harness = { documents: undefined as unknown as Documents, windows: [], asked: [], recent: [], answers: { saveChanges: 'cancel', recover: true, savePath: undefined } };
  const dialogs: Dialogs = {
    chooseDesignsToOpen: async () => [],
    chooseSavePath: async (_parent, suggested) => (h.asked.push(`save-as ${suggested}`), h.answers.savePath),
    askSaveChanges: async (_parent, name) => (h.asked.push(`save-changes ${name}`), h.answers.saveChanges),
    askRecover: async (backups) => (h.asked.push(`recover ${backups.length}`), h.answers.recover),
    showError: (_parent, title) => void h.asked.push(`error ${title}`),
  };
  const deps: DocumentsDeps = {
    createWindow: (document) => {
      const window = { id: document.id, titles: [] as string[], focused: 0 };
      h.windows.push(window);
      return { focus: () => void window.focused++, show: (title) => void window.titles.push(title) };
    },
    dialogs,
    backups: new BackupStore(backupsDir),
    readText: readDesign,
    writeText: (path, text) => saveDesign(path, text),
    addRecent: (path) => void h.recent.push(path),
    log: () => {},
    newBackupKey: () => keys.shift() ?? 'extra',
  };
  h.documents = new Documents(deps);
  return h;
}

describe('documents: one window per design', () => {
  it('opens a design in its own window and focuses it when opened again', async () => {
    const path = join(dir(), 'web.topolab.json');
    await writeFile(path, '{"schema":"topolab/1"}');
    const h = harness();
    const first = await h.documents.openPath(path);
    const again = await h.documents.openPath(path);
    expect(again).toBe(first);
    expect(h.windows).toHaveLength(1);
    expect(h.windows[0]?.focused).toBe(1);
    expect(h.documents.info(first?.id ?? 0)).toEqual({ path, name: 'web.topolab.json', text: '{"schema":"topolab/1"}', dirty: false, recovered: false });
    expect(h.recent).toEqual([path]);
  });

  it('reports a file it cannot open instead of opening an empty window', async () => {
    const h = harness();
    expect(await h.documents.openPath(join(dir(), 'missing.topolab.json'))).toBeUndefined();
    expect(h.windows).toHaveLength(0);
    expect(h.asked).toEqual(['error Cannot open missing.topolab.json']);
  });

  it('shows the dirty state in the title', async () => {
    const h = harness();
    const document = h.documents.newDocument();
    h.documents.changed(document.id, true, '{}');
    expect(h.windows[0]?.titles.at(-1)).toBe(windowTitle(null, true));
    expect(windowTitle('/x/a.topolab.json', false)).toBe('a.topolab.json — Topolab');
  });
});

describe('documents: saving', () => {
  it('asks where to save a new design, saves atomically and adds it to the recent list', async () => {
    const h = harness();
    const document = h.documents.newDocument();
    h.answers.savePath = join(dir(), 'new.topolab.json');
    expect(await h.documents.save(document.id, '{"v":1}', false)).toEqual({ saved: true, path: h.answers.savePath, name: 'new.topolab.json' });
    expect(await readFile(h.answers.savePath, 'utf8')).toBe('{"v":1}');
    expect(await readdir(dir())).toEqual(['new.topolab.json']); // no temp file left
    expect(h.recent).toEqual([h.answers.savePath]);
    // A second save goes to the same file without asking; Save As asks again.
    await h.documents.save(document.id, '{"v":2}', false);
    expect(h.asked).toEqual(['save-as untitled.topolab.json']);
    h.answers.savePath = undefined;
    expect(await h.documents.save(document.id, '{"v":3}', true)).toEqual({ saved: false });
    expect(await readFile(join(dir(), 'new.topolab.json'), 'utf8')).toBe('{"v":2}');
  });

  it('keeps the old file and the backup when the app is killed between write and rename', async () => {
    const path = join(dir(), 'web.topolab.json');
    const backupsDir = join(dir(), 'backups');
    await writeFile(path, 'old design');
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/save-crash.ts', import.meta.url).pathname, path, backupsDir, 'new design'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('paused\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before pausing: ${stderr}`)));
    });
    child.removeAllListeners('exit');
    await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGKILL')));

    expect(await readFile(path, 'utf8')).toBe('old design');
    // The unsaved work survives in the backup, and the next start offers it back.
    const h = harness(backupsDir);
    const [recovered] = await h.documents.offerRecovery();
    expect(h.asked).toEqual(['recover 1']);
    expect(recovered).toMatchObject({ path, text: 'new design', dirty: true, recovered: true });
  }, 20_000);
});

describe('documents: backups and recovery', () => {
  it('backs up dirty work, offers it back after a crash, and drops it once saved', async () => {
    const path = join(dir(), 'web.topolab.json');
    await writeFile(path, '{"v":0}');
    const before = harness();
    const saved = await before.documents.openPath(path);
    const untitled = before.documents.newDocument();
    before.documents.changed(saved?.id ?? 0, true, '{"v":1}');
    before.documents.changed(untitled.id, true, '{"draft":true}');
    await before.documents.backupNow();
    // ...the app crashes here: nothing else runs. The next start:
    const after = harness();
    const recovered = await after.documents.offerRecovery();
    expect(after.asked).toEqual(['recover 2']);
    expect(recovered.map((d) => [d.path, d.text, d.dirty, d.recovered]).sort()).toEqual(
      [
        [path, '{"v":1}', true, true],
        [null, '{"draft":true}', true, true],
      ].sort(),
    );
    const restored = recovered.find((d) => d.path === path);
    expect(after.documents.info(restored?.id ?? 0)).toMatchObject({ recovered: true, dirty: true });
    await after.documents.save(restored?.id ?? 0, restored?.text ?? '', false);
    expect(await readFile(path, 'utf8')).toBe('{"v":1}');
    expect((await new BackupStore(join(dir(), 'backups')).list()).map((b) => b.name ?? null)).toEqual([null]);
  });

  it('does not rewrite unchanged backups, and declining recovery deletes them', async () => {
    const h = harness();
    const document = h.documents.newDocument();
    h.documents.changed(document.id, true, 'draft');
    await h.documents.backupNow();
    const store = new BackupStore(join(dir(), 'backups'));
    const [first] = await store.list();
    await h.documents.backupNow();
    expect((await store.list())[0]?.savedAt).toBe(first?.savedAt);
    const next = harness();
    next.answers.recover = false;
    expect(await next.documents.offerRecovery()).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('drops the backup when the page reports the design clean again (an undo to the saved state)', async () => {
    const h = harness();
    const document = h.documents.newDocument();
    h.documents.changed(document.id, true, 'draft');
    await h.documents.backupNow();
    const store = new BackupStore(join(dir(), 'backups'));
    expect(await store.list()).toHaveLength(1);
    h.documents.changed(document.id, false, undefined);
    await h.documents.backupNow(); // waits for the queued work, the drop included
    await expect.poll(() => store.list()).toEqual([]);
  });

  it('backs up nothing for clean documents and offers nothing when there is no backup', async () => {
    const h = harness();
    h.documents.newDocument();
    await h.documents.backupNow();
    expect(await harness().documents.offerRecovery()).toEqual([]);
  });
});

describe('documents: closing with unsaved changes', () => {
  it('closes a clean window without asking', async () => {
    const h = harness();
    const document = h.documents.newDocument();
    expect(await h.documents.confirmClose(document.id)).toBe(true);
    expect(h.asked).toEqual([]);
  });

  it('asks, and Cancel keeps the window and the backup', async () => {
    const h = harness();
    const document = h.documents.newDocument();
    h.documents.changed(document.id, true, 'work');
    await h.documents.backupNow();
    expect(await h.documents.confirmClose(document.id)).toBe(false);
    expect(h.asked).toEqual(['save-changes Untitled']);
    expect(await new BackupStore(join(dir(), 'backups')).list()).toHaveLength(1);
  });

  it("Don't Save closes and deletes the backup", async () => {
    const h = harness();
    const document = h.documents.newDocument();
    h.documents.changed(document.id, true, 'work');
    await h.documents.backupNow();
    h.answers.saveChanges = 'discard';
    expect(await h.documents.confirmClose(document.id)).toBe(true);
    expect(await new BackupStore(join(dir(), 'backups')).list()).toEqual([]);
  });

  it('Save writes the latest text the page reported; a cancelled save dialog keeps the window', async () => {
    const path = join(dir(), 'web.topolab.json');
    await writeFile(path, 'v0');
    const h = harness();
    const document = await h.documents.openPath(path);
    h.documents.changed(document?.id ?? 0, true, 'v1');
    h.answers.saveChanges = 'save';
    expect(await h.documents.confirmClose(document?.id ?? 0)).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('v1');

    const untitled = h.documents.newDocument();
    h.documents.changed(untitled.id, true, 'draft');
    h.answers.savePath = undefined;
    expect(await h.documents.confirmClose(untitled.id)).toBe(false);
  });
});
