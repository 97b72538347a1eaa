import { KIND_LABELS, type TopologyNode } from '../../core/model/index.js';
import { rendererKindOf } from '../kinds/index.js';

let context: CanvasRenderingContext2D | null | undefined;

/** The font families the stylesheet uses (its `--font` and `--mono`), or generic ones outside a page. */
function families(): { sans: string; mono: string } {
  if (typeof document === 'undefined') return { sans: 'sans-serif', mono: 'monospace' };
  const style = getComputedStyle(document.documentElement);
  return { sans: style.getPropertyValue('--font').trim() || 'sans-serif', mono: style.getPropertyValue('--mono').trim() || 'monospace' };
}

/**
 * The drawn width of a text in a CSS font (`600 13px Inter, sans-serif`), measured by the
 * page's own fonts (they differ between machines); outside a page, a generous estimate.
 */
export function textWidth(text: string, font: string, letterSpacingPx = 0): number {
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const size = Number(/([\d.]+)px/.exec(font)?.[1] ?? 13);
  const spacing = text.length * letterSpacingPx;
  if (!context) return text.length * size * 0.65 + spacing;
  context.font = font;
  return context.measureText(text).width + spacing;
}

/**
 * The width a container's header needs to show its kind, name, subtitle and zone without
 * cutting any (the layout of `.container-header` in app.css: padding, icon, gaps, the
 * error badge and the handles at both ends). Auto-layout never makes a container narrower.
 */
export function headerWidth(node: TopologyNode): number {
  const { sans, mono } = families();
  const gap = 6;
  const kind = textWidth(KIND_LABELS[node.kind].toUpperCase(), `700 11px ${sans}`, 11 * 0.05);
  const name = textWidth(node.name ?? node.id, `600 13px ${sans}`);
  const subtitle = rendererKindOf(node.kind).subtitle?.(node as never) ?? '';
  const sub = subtitle ? textWidth(subtitle, `11.5px ${mono}`) + gap : 0;
  const zone = 'zone' in node && node.zone ? textWidth(node.zone, `11px ${sans}`) + 12 + gap : 0;
  const chrome = 12 * 2 + 18 + gap * 2 + 18 + gap + 10; // padding, icon, gaps, badge, handles
  return Math.ceil(chrome + kind + name + sub + zone + 8);
}
