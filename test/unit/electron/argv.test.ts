import { describe, expect, it } from 'vitest';
import { designPathsFromArgv, isDesignPath } from '../../../electron/main/argv.js';

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
