import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupStore, backupFileName } from '../../../core/files/backups.js';

let dir: string;
let store: BackupStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topolab-backups-'));
  store = new BackupStore(join(dir, '.topolab-backups'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('BackupStore', () => {
  it('lists nothing before the first backup (the folder does not exist yet)', async () => {
    expect(await store.list()).toEqual([]);
    expect(await store.read('untitled-1')).toBeUndefined();
  });

  it('round-trips text exactly, including newlines and unicode, and lists newest first', async () => {
    const text = '{\n  "schema": "topolab/1",\n  "name": "ünï\\n"\n}\n\n';
    await store.save('untitled-1', 'first', undefined, 1000);
    await store.save('net/a.topolab.json', text, 'net/a.topolab.json', 2000);
    expect(await store.list()).toEqual([
      { key: 'net/a.topolab.json', name: 'net/a.topolab.json', savedAt: 2000, length: text.length },
      { key: 'untitled-1', savedAt: 1000, length: 5 },
    ]);
    expect(await store.read('net/a.topolab.json')).toEqual({ key: 'net/a.topolab.json', name: 'net/a.topolab.json', savedAt: 2000, length: text.length, text });
  });

  it('replaces the backup of the same key', async () => {
    await store.save('k', 'one', undefined, 1);
    await store.save('k', 'two', undefined, 2);
    expect((await store.list()).map((b) => b.savedAt)).toEqual([2]);
    expect((await store.read('k'))?.text).toBe('two');
  });

  it('never turns a key into a path', async () => {
    await store.save('../../escape', 'x');
    expect(await readdir(join(dir, '.topolab-backups'))).toEqual([backupFileName('../../escape')]);
    expect(backupFileName('..')).not.toContain('/');
  });

  it('discards a backup and reports whether one existed', async () => {
    await store.save('k', 'text');
    expect(await store.discard('k')).toBe(true);
    expect(await store.discard('k')).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('skips damaged and foreign files when listing', async () => {
    await store.save('good', 'text', undefined, 5);
    await writeFile(join(dir, '.topolab-backups', 'notes.txt'), 'hello');
    await writeFile(join(dir, '.topolab-backups', backupFileName('bad')), 'no header line');
    await writeFile(join(dir, '.topolab-backups', backupFileName('other')), `${JSON.stringify({ key: 'mismatch', savedAt: 1, length: 1 })}\nx`);
    expect((await store.list()).map((b) => b.key)).toEqual(['good']);
    await expect(store.read('bad')).rejects.toThrow(/damaged/);
  });

  it('refuses empty and control-character keys', async () => {
    await expect(store.save('', 'x')).rejects.toThrow(/backup key/);
    await expect(store.save('a\nb', 'x')).rejects.toThrow(/backup key/);
  });
});
