import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FUSES, electronBinaryPath } from '../../../build/fuses.mjs';
import { ICON_SIZES, crc32, encodePng, renderRgba, renderSvg } from '../../../build/icons/icon.mjs';

const ROOT = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT));

describe('fuses', () => {
  it('turn off running as Node, NODE_OPTIONS and --inspect, and load only the checked asar', () => {
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    // Every fuse this @electron/fuses knows is decided, so a new one fails the build instead of defaulting.
    expect(FUSES.strictlyRequireAllFuses).toBe(true);
    const known = Object.values(FuseV1Options).filter((v): v is number => typeof v === 'number');
    for (const fuse of known) expect(typeof (FUSES as Record<number, unknown>)[fuse], FuseV1Options[fuse]).toBe('boolean');
  });

  it('are flipped in the binary of each platform', () => {
    const target = { appOutDir: '/out', productFilename: 'Topolab', executableName: 'topolab' };
    expect(electronBinaryPath({ ...target, platform: 'darwin' })).toBe('/out/Topolab.app');
    expect(electronBinaryPath({ ...target, platform: 'win32' })).toBe('/out/Topolab.exe');
    expect(electronBinaryPath({ ...target, platform: 'linux' })).toBe('/out/topolab');
  });
});

describe('electron-builder config', () => {
  const config = parse(read('build/electron-builder.yml').toString()) as Record<string, unknown> & {
    linux: { target: string[]; icon: string };
    mac: { target: string[]; icon: string };
    win: { target: string[]; icon: string };
    fileAssociations: { ext: string; mimeType: string }[];
    files: string[];
    afterPack: string;
  };

  it('packages for Linux (AppImage, deb), macOS (dmg) and Windows (nsis) as dev.topolab.app', () => {
    expect(config.appId).toBe('dev.topolab.app');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.asar).toBe(true);
  });

  it('associates *.topolab.json, flips the fuses after packing, and points at icons that exist', () => {
    expect(config.fileAssociations[0]).toMatchObject({ ext: 'topolab.json', mimeType: 'application/x-topolab+json' });
    expect(existsSync(new URL(config.afterPack, ROOT))).toBe(true);
    for (const icon of [config.mac.icon, config.win.icon, `${config.linux.icon}/512x512.png`]) expect(existsSync(new URL(icon, ROOT)), icon).toBe(true);
  });

  it('ships the built shell and renderer, and main points at the built main process', () => {
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**/*', 'dist/renderer/**/*']));
    const pkg = JSON.parse(read('package.json').toString()) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist/electron/main/index.js');
    expect(pkg.scripts.build).toContain('npm run build:electron');
  });
});

/** Decodes the PNGs we write (8-bit RGBA, filter 0) back to pixels, checking every chunk's CRC. */
function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, pixels };
}

describe('icons', () => {
  it.each(ICON_SIZES)('%ipx is a valid PNG of that size, drawn as the committed file', (size) => {
    const file = read(`build/icons/${size}x${size}.png`);
    const { width, height, pixels } = decodePng(file);
    expect([width, height]).toEqual([size, size]);
    // The committed file is what the generator draws today (run `npm run icons` after a change);
    // re-drawn here up to 256 px, which keeps the unit run fast.
    if (size <= 256) expect(file.equals(encodePng(size, size, renderRgba(size)))).toBe(true);
    const alphaAt = (x: number, y: number) => pixels[(y * size + x) * 4 + 3];
    expect(alphaAt(0, 0)).toBe(0); // rounded transparent corner
    expect(alphaAt(size >> 1, size >> 1)).toBe(255); // opaque body
  });

  it('has an SVG source with the same drawing', () => {
    expect(read('build/icons/icon.svg').toString()).toBe(renderSvg());
    expect(renderSvg()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 1024 1024"/);
  });

  it('refuses pixel data of the wrong length', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(/expected 16 bytes/);
  });
});
