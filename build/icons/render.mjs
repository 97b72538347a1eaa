// Writes build/icons/icon.svg and build/icons/NxN.png for every size (npm run icons).
// electron-builder makes the .icns and .ico from the 1024 and 256 PNGs.
import { writeFileSync } from 'node:fs';
import { ICON_SIZES, encodePng, renderRgba, renderSvg } from './icon.mjs';

const folder = new URL('./', import.meta.url);
writeFileSync(new URL('icon.svg', folder), renderSvg());
for (const size of ICON_SIZES) {
  const png = encodePng(size, size, renderRgba(size));
  writeFileSync(new URL(`${size}x${size}.png`, folder), png);
  console.log(`${size}x${size}.png ${png.length} bytes`);
}
