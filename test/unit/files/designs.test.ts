import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDesigns } from '../../../core/files/designs.js';
import { FolderSandbox } from '../../../core/files/sandbox.js';

describe('listDesigns', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'topolab-designs-'));
    const root = join(base, 'root');
    await mkdir(join(root, 'sub', 'deeper'), { recursive: true });
    await mkdir(join(root, '.topolab-backups'));
    await mkdir(join(root, 'node_modules'));
    await writeFile(join(root, 'b.topolab.json'), '{"b":1}');
    await writeFile(join(root, 'a.topolab.json'), '{}');
    await writeFile(join(root, 'notes.txt'), 'not a design');
    await writeFile(join(root, '.hidden.topolab.json'), '{}');
    await writeFile(join(root, '.a.topolab.json.123.abcdef01.tmp'), 'temp');
    await writeFile(join(root, 'sub', 'deeper', 'c.topolab.json'), '{}');
    await writeFile(join(root, 'node_modules', 'x.topolab.json'), '{}');
    await writeFile(join(root, '.topolab-backups', 'y.topolab.json'), '{}');
    await writeFile(join(base, 'outside.topolab.json'), '{}');
    await symlink(join(base, 'outside.topolab.json'), join(root, 'escape.topolab.json'));
    await symlink(join(root, 'a.topolab.json'), join(root, 'alias.topolab.json'));
    await symlink(base, join(root, 'loop'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lists designs with size and mtime, skipping hidden, foreign, escaping and linked folders', async () => {
    const files = await listDesigns(new FolderSandbox(join(base, 'root')));
    expect(files.map((f) => f.name)).toEqual(['a.topolab.json', 'alias.topolab.json', 'b.topolab.json', 'sub/deeper/c.topolab.json']);
    const b = files.find((f) => f.name === 'b.topolab.json');
    expect(b?.size).toBe(7);
    expect(b?.mtime).toBeGreaterThan(Date.now() - 60_000);
  });
});
