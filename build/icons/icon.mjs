// @ts-check
/**
 * The Topolab icon, drawn once as geometry and rendered two ways: as SVG (icon.svg) and as
 * anti-aliased RGBA pixels encoded to PNG with node:zlib, so every size is produced here
 * without a native image library or a download.
 */
import { deflateSync } from 'node:zlib';

/** @typedef {[number, number, number]} Rgb */
/** @typedef {{ kind: 'roundRect', x: number, y: number, w: number, h: number, r: number, fill?: [Rgb, Rgb], stroke?: Rgb, width?: number }} RoundRect */
/** @typedef {{ kind: 'line', x1: number, y1: number, x2: number, y2: number, width: number, color: Rgb }} Line */
/** @typedef {{ kind: 'circle', cx: number, cy: number, r: number, color: Rgb }} Circle */
/** @typedef {RoundRect | Line | Circle} Shape */

/** The drawing, in a unit square, back to front: a balancer feeding two servers inside a subnet. */
/** @type {Shape[]} */
export const SHAPES = [
  { kind: 'roundRect', x: 0.04, y: 0.04, w: 0.92, h: 0.92, r: 0.2, fill: [[15, 23, 42], [17, 94, 89]] },
  { kind: 'roundRect', x: 0.14, y: 0.5, w: 0.72, h: 0.34, r: 0.07, stroke: [94, 234, 212], width: 0.028 },
  { kind: 'line', x1: 0.5, y1: 0.3, x2: 0.31, y2: 0.67, width: 0.05, color: [203, 213, 225] },
  { kind: 'line', x1: 0.5, y1: 0.3, x2: 0.69, y2: 0.67, width: 0.05, color: [203, 213, 225] },
  { kind: 'circle', cx: 0.5, cy: 0.28, r: 0.11, color: [251, 191, 36] },
  { kind: 'circle', cx: 0.31, cy: 0.67, r: 0.085, color: [94, 234, 212] },
  { kind: 'circle', cx: 0.69, cy: 0.67, r: 0.085, color: [94, 234, 212] },
];

/** @param {Rgb} c */
const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The icon as SVG text (1024 units square). */
export function renderSvg(shapes = SHAPES) {
  const s = 1024;
  const n = (/** @type {number} */ v) => +(v * s).toFixed(2);
  const defs = [];
  const body = [];
  shapes.forEach((shape, i) => {
    if (shape.kind === 'roundRect') {
      let paint = 'none';
      if (shape.fill) {
        defs.push(`<linearGradient id="g${i}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hex(shape.fill[0])}"/><stop offset="1" stop-color="${hex(shape.fill[1])}"/></linearGradient>`);
        paint = `url(#g${i})`;
      }
      const stroke = shape.stroke ? ` stroke="${hex(shape.stroke)}" stroke-width="${n(shape.width ?? 0)}"` : '';
      body.push(`<rect x="${n(shape.x)}" y="${n(shape.y)}" width="${n(shape.w)}" height="${n(shape.h)}" rx="${n(shape.r)}" fill="${paint}"${stroke}/>`);
    } else if (shape.kind === 'line') {
      body.push(`<line x1="${n(shape.x1)}" y1="${n(shape.y1)}" x2="${n(shape.x2)}" y2="${n(shape.y2)}" stroke="${hex(shape.color)}" stroke-width="${n(shape.width)}" stroke-linecap="round"/>`);
    } else {
      body.push(`<circle cx="${n(shape.cx)}" cy="${n(shape.cy)}" r="${n(shape.r)}" fill="${hex(shape.color)}"/>`);
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${s} ${s}" width="${s}" height="${s}">\n<defs>${defs.join('')}</defs>\n${body.join('\n')}\n</svg>\n`;
}

/** Signed distance from (px, py) to a rounded rectangle (negative inside). */
function roundRectDistance(/** @type {RoundRect} */ r, /** @type {number} */ px, /** @type {number} */ py) {
  const qx = Math.abs(px - (r.x + r.w / 2)) - (r.w / 2 - r.r);
  const qy = Math.abs(py - (r.y + r.h / 2)) - (r.h / 2 - r.r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r.r;
}

function segmentDistance(/** @type {Line} */ l, /** @type {number} */ px, /** @type {number} */ py) {
  const dx = l.x2 - l.x1;
  const dy = l.y2 - l.y1;
  const t = Math.max(0, Math.min(1, ((px - l.x1) * dx + (py - l.y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (l.x1 + t * dx), py - (l.y1 + t * dy));
}

/**
 * Renders the shapes to `size`x`size` RGBA pixels. Coverage comes from each shape's signed
 * distance field over one pixel, which anti-aliases edges at every size without supersampling.
 * @returns {Uint8Array}
 */
export function renderRgba(size, shapes = SHAPES) {
  const pixels = new Uint8Array(size * size * 4);
  const px = 1 / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) * px;
      const v = (y + 0.5) * px;
      let r = 0, g = 0, b = 0, a = 0;
      for (const shape of shapes) {
        let distance;
        /** @type {Rgb} */
        let color;
        if (shape.kind === 'roundRect') {
          const d = roundRectDistance(shape, u, v);
          if (shape.fill) {
            distance = d;
            const t = Math.max(0, Math.min(1, (v - shape.y) / shape.h));
            color = /** @type {Rgb} */ (shape.fill[0].map((c0, i) => c0 + ((shape.fill?.[1][i] ?? c0) - c0) * t));
          } else {
            distance = Math.abs(d) - (shape.width ?? 0) / 2;
            color = shape.stroke ?? [0, 0, 0];
          }
        } else if (shape.kind === 'line') {
          distance = segmentDistance(shape, u, v) - shape.width / 2;
          color = shape.color;
        } else {
          distance = Math.hypot(u - shape.cx, v - shape.cy) - shape.r;
          color = shape.color;
        }
        const coverage = Math.max(0, Math.min(1, 0.5 - distance / px));
        if (coverage === 0) continue;
        // Source-over compositing in premultiplied space.
        r = color[0] * coverage + r * (1 - coverage);
        g = color[1] * coverage + g * (1 - coverage);
        b = color[2] * coverage + b * (1 - coverage);
        a = coverage + a * (1 - coverage);
      }
      const o = (y * size + x) * 4;
      pixels[o] = a > 0 ? Math.round(r / a) : 0;
      pixels[o + 1] = a > 0 ? Math.round(g / a) : 0;
      pixels[o + 2] = a > 0 ? Math.round(b / a) : 0;
      pixels[o + 3] = Math.round(a * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG chunks use it. */
export function crc32(/** @type {Uint8Array} */ bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(/** @type {string} */ type, /** @type {Uint8Array} */ data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes RGBA pixels as a PNG (8-bit RGBA, no filtering, zlib-compressed). */
export function encodePng(/** @type {number} */ width, /** @type {number} */ height, /** @type {Uint8Array} */ rgba) {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

/** Every size written: the Linux icon theme sizes, Windows' 256 and macOS' 1024. */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
