import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderSandbox, SandboxError, checkRelativeName } from '../../../core/files/sandbox.js';

describe('checkRelativeName', () => {
  const accepted = ['a.topolab.json', 'sub/a.topolab.json', 'deep/er/x.json', '..a.json', 'a..b', 'name with spaces.json', 'ünïcødé.topolab.json'];
  it.each(accepted)('accepts %s', (name) => expect(checkRelativeName(name)).toBeNull());

  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['../x', /leaves the folder/],
    ['a/../../x', /leaves the folder/],
    ['..', /leaves the folder/],
    ['/etc/passwd', /absolute/],
    ['C:\\Windows\\win.ini', /absolute/],
    ['c:/x', /absolute/],
    ['\\\\server\\share', /backslash/],
    ['..\\x', /backslash/],
    ['a//b', /empty or "\." segment/],
    ['./a', /empty or "\." segment/],
    ['a/', /empty or "\." segment/],
    ['a\u0000b', /control character/],
    ['x'.repeat(1025), /longer than/],
  ];
  it.each(refused)('refuses %j', (name, reason) => expect(checkRelativeName(name)).toMatch(reason));
});

describe('FolderSandbox.resolve', () => {
  let base: string;
  let root: string;
  let sandbox: FolderSandbox;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'topolab-sandbox-'));
    root = join(base, 'designs');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'a.topolab.json'), '{}');
    await writeFile(join(base, 'secret.txt'), 'secret');
    await mkdir(join(base, 'outside'));
    await symlink(join(base, 'secret.txt'), join(root, 'escape.topolab.json'));
    await symlink(join(base, 'outside'), join(root, 'linked-out'));
    await symlink(join(root, 'a.topolab.json'), join(root, 'alias.topolab.json'));
    await symlink(join(root, 'sub'), join(root, 'linked-in'));
    await symlink(join(base, 'not-yet.txt'), join(root, 'dangling.topolab.json'));
    sandbox = new FolderSandbox(root);
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('resolves existing and new names inside the folder', async () => {
    const real = await sandbox.resolvedRoot();
    expect(await sandbox.resolve('a.topolab.json')).toBe(join(real, 'a.topolab.json'));
    expect(await sandbox.resolve('new.topolab.json')).toBe(join(real, 'new.topolab.json'));
    expect(await sandbox.resolve('sub/new.topolab.json')).toBe(join(real, 'sub', 'new.topolab.json'));
    expect(await sandbox.resolve('missing-folder/x.topolab.json')).toBe(join(real, 'missing-folder', 'x.topolab.json'));
  });

  it('allows symbolic links that stay inside, resolving them to the linked file', async () => {
    const real = await sandbox.resolvedRoot();
    expect(await sandbox.resolve('alias.topolab.json')).toBe(join(real, 'a.topolab.json'));
    expect(await sandbox.resolve('linked-in/x.topolab.json')).toBe(join(real, 'sub', 'x.topolab.json'));
  });

  const escapes: [string, RegExp][] = [
    ['../secret.txt', /leaves the folder/],
    ['escape.topolab.json', /symbolic link/],
    ['linked-out/new.topolab.json', /symbolic link/],
    ['dangling.topolab.json', /symbolic link to a missing file/],
  ];
  it.each(escapes)('refuses %s', async (name, reason) => {
    const failure = sandbox.resolve(name);
    await expect(failure).rejects.toBeInstanceOf(SandboxError);
    await expect(failure).rejects.toThrow(reason);
  });

  it('refuses absolute paths even when they point inside the folder', async () => {
    await expect(sandbox.resolve(join(root, 'a.topolab.json'))).rejects.toThrow(/absolute/);
  });
});
