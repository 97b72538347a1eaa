/** Types of icon.mjs (plain JS so `npm run icons` needs no TypeScript loader). */
export type Rgb = [number, number, number];
export type Shape =
  | { kind: 'roundRect'; x: number; y: number; w: number; h: number; r: number; fill?: [Rgb, Rgb]; stroke?: Rgb; width?: number }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; color: Rgb }
  | { kind: 'circle'; cx: number; cy: number; r: number; color: Rgb };

/** The drawing, in a unit square, back to front. */
export declare const SHAPES: Shape[];
/** The icon as SVG text (1024 units square). */
export declare function renderSvg(shapes?: Shape[]): string;
/** The icon as size x size RGBA pixels. */
export declare function renderRgba(size: number, shapes?: Shape[]): Uint8Array;
/** CRC-32 as PNG chunks use it. */
export declare function crc32(bytes: Uint8Array): number;
/** Encodes RGBA pixels as a PNG. */
export declare function encodePng(width: number, height: number, rgba: Uint8Array): Buffer;
/** Every size written. */
export declare const ICON_SIZES: number[];
