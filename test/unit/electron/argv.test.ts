import { describe, expect, it } from 'vitest';
import { designPathsFromArgv, folderFromArgv, isDesignPath } from '../../../electron/main/argv.js';

describe('files from the command line', () => {
  it('takes design files, resolved against the launch folder, in order and once', () => {
    const argv = ['/opt/Topolab/topolab', '--no-sandbox', 'a.topolab.json', '/abs/b.TOPOLAB.json', 'notes.txt', 'a.topolab.json', '--flag=x.topolab.json'];
    expect(designPathsFromArgv(argv, '/home/me')).toEqual(['/home/me/a.topolab.json', '/abs/b.TOPOLAB.json']);
  });

  it('skips the app folder a development launch passes (electron .)', () => {
    expect(designPathsFromArgv(['electron', '.', 'x.topolab.json'], '/w')).toEqual(['/w/x.topolab.json']);
    expect(designPathsFromArgv(['electron', '.'], '/w')).toEqual([]);
  });

  it('recognises design files by their double extension', () => {
    expect(isDesignPath('net.topolab.json')).toBe(true);
    expect(isDesignPath('net.json')).toBe(false);
    expect(isDesignPath('topolab.json.bak')).toBe(false);
  });
});

describe('the folder from the command line', () => {
  const dirs = new Set(['/w', '/home/me/designs', '/app']);
  const isDirectory = (path: string) => dirs.has(path);

  it('skips the app folder of a development launch and takes the folder after it', () => {
    expect(folderFromArgv(['electron', '/app', 'designs'], '/home/me', false, isDirectory)).toBe('/home/me/designs');
    expect(folderFromArgv(['electron', '/app'], '/home/me', false, isDirectory)).toBeUndefined();
  });

  it('takes the first folder of a packaged launch, ignoring flags, designs and missing paths', () => {
    expect(folderFromArgv(['/opt/topolab-desktop', '--x', 'a.topolab.json', 'missing', '/w'], '/home/me', true, isDirectory)).toBe('/w');
  });
});
