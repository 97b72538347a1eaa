import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { killAndWait as kill, startScriptUntil } from '../../support/child-lines.js';
import { isTempFileName, STALE_TEMP_MS, writeFileAtomic } from '../../../core/files/atomic.js';
import { tempDirPerTest } from '../../support/temp.js';

const WRITER = new URL('./fixtures/atomic-writer.ts', import.meta.url).pathname;

const dir = tempDirPerTest('topolab-atomic-');

/** Starts the writer child and resolves with it once a stdout line matches. */
const startWriter = (args: string[], until: (line: string) => boolean): ReturnType<typeof startScriptUntil> => startScriptUntil(WRITER, args, until);

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    const path = join(dir(), 'a.topolab.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new content');
    expect(await readFile(path, 'utf8')).toBe('new content');
    expect(await readdir(dir())).toEqual(['a.topolab.json']);
  });

  it('keeps the old file when killed with SIGKILL between write and rename', async () => {
    const path = join(dir(), 'd.topolab.json');
    await writeFile(path, 'old design');
    const { child, line } = await startWriter(['pause-before-rename', path, 'new design'], (l) => l.startsWith('ready '));
    const temp = line.slice('ready '.length);
    // The new text is fully on disk in the temp file at this point: only the rename is missing.
    expect(await readFile(temp, 'utf8')).toBe('new design');
    await kill(child);
    expect(await readFile(path, 'utf8')).toBe('old design');
    // The leftover temp file is recognisable, so listings hide it.
    const leftovers = (await readdir(dir())).filter((name) => name !== 'd.topolab.json');
    expect(leftovers.length).toBe(1);
    expect(isTempFileName(leftovers[0] ?? '')).toBe(true);
  });

  it('has the new file when killed with SIGKILL right after the rename', async () => {
    const path = join(dir(), 'd.topolab.json');
    await writeFile(path, 'old design');
    const { child } = await startWriter(['pause-after-rename', path, 'new design'], (l) => l === 'renamed');
    await kill(child);
    expect(await readFile(path, 'utf8')).toBe('new design');
  });

  it('retries a rename the OS refuses for a moment (EPERM/EBUSY), then succeeds', async () => {
    const path = join(dir(), 'retry.topolab.json');
    const { rename } = await import('node:fs/promises');
    let refusals = 0;
    await writeFileAtomic(path, 'saved', {
      renameRetryDelayMs: 1,
      fs: {
        rename: async (from, to) => {
          if (refusals < 3) {
            refusals++;
            throw Object.assign(new Error('resource busy'), { code: refusals % 2 ? 'EPERM' : 'EBUSY' });
          }
          await rename(from, to);
        },
      },
    });
    expect(refusals).toBe(3);
    expect(await readFile(path, 'utf8')).toBe('saved');
  });

  it('gives up after the retries, removes its temp file and keeps the old file', async () => {
    const path = join(dir(), 'stuck.topolab.json');
    await writeFile(path, 'old');
    let attempts = 0;
    const refuse = async (): Promise<void> => {
      attempts++;
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    };
    await expect(writeFileAtomic(path, 'new', { renameRetries: 2, renameRetryDelayMs: 1, fs: { rename: refuse } })).rejects.toThrow('operation not permitted');
    expect(attempts).toBe(3);
    expect(await readdir(dir())).toEqual(['stuck.topolab.json']);
    expect(await readFile(path, 'utf8')).toBe('old');
  });

  it('does not retry errors that will not go away', async () => {
    let attempts = 0;
    const missing = async (): Promise<void> => {
      attempts++;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    };
    await expect(writeFileAtomic(join(dir(), 'x'), 'y', { fs: { rename: missing } })).rejects.toThrow('no such file');
    expect(attempts).toBe(1);
  });

  it('removes temp files that crashed saves of the same file left long ago, and only those', async () => {
    const path = join(dir(), 'd.topolab.json');
    const stale = join(dir(), '.d.topolab.json.999.0badc0de.tmp');
    const recent = join(dir(), '.d.topolab.json.998.0badc0df.tmp');
    const otherFile = join(dir(), '.e.topolab.json.997.0badc0d0.tmp');
    for (const file of [stale, recent, otherFile]) await writeFile(file, 'partial');
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    await utimes(stale, old, old);
    await utimes(otherFile, old, old);
    await writeFileAtomic(path, 'saved');
    expect((await readdir(dir())).sort()).toEqual(['.d.topolab.json.998.0badc0df.tmp', '.e.topolab.json.997.0badc0d0.tmp', 'd.topolab.json']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(dir(), 'nope', 'a.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
