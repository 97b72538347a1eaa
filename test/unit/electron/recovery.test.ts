/**
 * Backups and recovery in the desktop app: one backup location (user data, one folder per
 * design folder), written and read by each window's core service through `files.*`, and
 * the designs with unsaved work reopened after a crash.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService } from '../../../core/api/index.js';
import { backupsFolderFor, designFolderOf, designsToRecover, listBackupsWithService } from '../../../electron/main/backup-folders.js';
import { tempDirPerTest } from '../../support/temp.js';

const dir = tempDirPerTest('topolab-recovery-');

/** A window's service, with the options the shell gives a window showing a design in `folder`. */
const windowService = (backupsRoot: string, folder: string) => createService({ filesRoot: folder, backupsRoot: backupsFolderFor(backupsRoot, folder) });

describe('backup folders', () => {
  it('names one folder per design folder, reversibly, and ignores names it did not make', () => {
    const folder = backupsFolderFor('/data/backups', '/home/me/designs');
    expect(folder.startsWith('/data/backups/')).toBe(true);
    const entry = folder.slice('/data/backups/'.length);
    expect(entry).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(designFolderOf(entry)).toBe('/home/me/designs');
    expect(backupsFolderFor('/data/backups', '/home/me/other')).not.toBe(folder);
    for (const foreign of ['page-backups', 'x.backup', '..', Buffer.from('relative/folder').toString('base64url')]) expect(designFolderOf(foreign)).toBeUndefined();
  });

  it('keeps apart two designs of the same name in different folders', async () => {
    const backupsRoot = join(dir(), 'backups');
    const a = windowService(backupsRoot, join(dir(), 'a'));
    const b = windowService(backupsRoot, join(dir(), 'b'));
    await a.call('files.backup', { key: 'web.topolab.json', name: 'web.topolab.json', text: 'work in a' });
    await b.call('files.backup', { key: 'web.topolab.json', name: 'web.topolab.json', text: 'work in b' });
    expect((await a.call('files.restore', { key: 'web.topolab.json' })).text).toBe('work in a');
    expect((await b.call('files.restore', { key: 'web.topolab.json' })).text).toBe('work in b');
    await Promise.all([a.close(), b.close()]);
  });
});

describe('recovery after a crash', () => {
  it('lists each design with unsaved work once, and one new design per folder for work never saved', async () => {
    const backupsRoot = join(dir(), 'backups');
    const designs = join(dir(), 'designs');
    const service = windowService(backupsRoot, designs);
    await service.call('files.backup', { key: 'web.topolab.json', name: 'web.topolab.json', text: '1' });
    await service.call('files.backup', { key: 'sub/api.topolab.json', name: 'sub/api.topolab.json', text: '2' });
    await service.call('files.backup', { key: 'untitled', text: '3' });
    await service.close();
    // Leftovers of older versions are no design folder.
    await mkdir(join(backupsRoot, 'page-backups'), { recursive: true });
    await writeFile(join(backupsRoot, 'old.backup'), '{}\nx');
    const found = await designsToRecover(backupsRoot);
    expect(found.sort((x, y) => String(x.name).localeCompare(String(y.name)))).toEqual([
      { folder: designs, name: null },
      { folder: designs, name: 'sub/api.topolab.json' },
      { folder: designs, name: 'web.topolab.json' },
    ]);
  });

  it('finds nothing without backups, and skips (logging) a folder it cannot list', async () => {
    expect(await designsToRecover(join(dir(), 'none'))).toEqual([]);
    const backupsRoot = join(dir(), 'backups');
    await mkdir(backupsFolderFor(backupsRoot, '/somewhere'), { recursive: true });
    const logs: string[] = [];
    expect(await designsToRecover(backupsRoot, async () => Promise.reject(new Error('unreadable')), (line) => void logs.push(line))).toEqual([]);
    expect(logs).toEqual(['the backups of /somewhere cannot be listed: unreadable']);
    expect(await designsToRecover(backupsRoot, listBackupsWithService)).toEqual([]);
  });

  it("keeps the old file and the backup when the app is killed between a save's write and rename, and the next start reopens the design with its work", async () => {
    const designs = join(dir(), 'designs');
    const path = join(designs, 'web.topolab.json');
    const backupsRoot = join(dir(), 'user-data', 'backups');
    await mkdir(designs, { recursive: true });
    await writeFile(path, 'old design');
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/save-crash.ts', import.meta.url).pathname, path, backupsRoot, 'new design'], { stdio: ['ignore', 'pipe', 'pipe'] });
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

    // The file is the old one, whole: the new text sits only in a temp file.
    expect(await readFile(path, 'utf8')).toBe('old design');
    expect((await readdir(designs)).filter((name) => name !== 'web.topolab.json')).toEqual([expect.stringMatching(/^\.web\.topolab\.json\.\d+\.[0-9a-f]{8}\.tmp$/)]);
    // The next start reopens the design, and its window's service offers the work back.
    expect(await designsToRecover(backupsRoot)).toEqual([{ folder: designs, name: 'web.topolab.json' }]);
    const service = windowService(backupsRoot, designs);
    const { backups } = await service.call('files.backups', {});
    expect(backups).toEqual([expect.objectContaining({ key: 'web.topolab.json', name: 'web.topolab.json' })]);
    expect(await service.call('files.restore', { key: 'web.topolab.json' })).toMatchObject({ text: 'new design' });
    expect(await service.call('files.read', { name: 'web.topolab.json' })).toMatchObject({ text: 'old design' });
    await service.close();
  }, 20_000);
});
