/**
 * Small static SVG charts as strings, for the self-contained HTML report (no scripts, no
 * external files) and the side-by-side comparison. Pure; every text is escaped.
 */

/** Escapes text for XML/HTML content and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** One line of a line chart. */
export interface LineSeries {
  label: string;
  color: string;
  values: readonly number[];
}

const W = 520;
const H = 200;
const PAD = { left: 48, right: 12, top: 24, bottom: 28 };

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function formatTick(value: number): string {
  if (value >= 1000) return `${Math.round(value / 100) / 10}k`;
  return String(Math.round(value * 100) / 100);
}

/** A line chart over `x` (seconds); NaN values are gaps. */
export function lineChartSvg(title: string, x: readonly number[], series: readonly LineSeries[], unit: string): string {
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const yMax = niceMax(Math.max(0, ...finite));
  const xMax = Math.max(1, ...x);
  const sx = (v: number): number => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const sy = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i += 1) {
    const v = (yMax * i) / 4;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#e2e8f0"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end" font-size="10" fill="#64748b">${formatTick(v)}</text>`);
  }
  parts.push(`<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" font-size="10" fill="#64748b">${formatTick(xMax)} s</text>`);
  parts.push(`<text x="${PAD.left}" y="${H - 8}" font-size="10" fill="#64748b">0 s</text>`);
  series.forEach((s, index) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      const xv = x[i];
      if (!Number.isFinite(v) || xv === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${sx(xv).toFixed(1)},${sy(v).toFixed(1)}`;
      pen = true;
    });
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="2"/>`);
    parts.push(`<rect x="${W - PAD.right - 110}" y="${6 + index * 14}" width="10" height="3" fill="${escapeXml(s.color)}"/><text x="${W - PAD.right - 96}" y="${11 + index * 14}" font-size="10" fill="#334155">${escapeXml(s.label)}</text>`);
  });
  return svgFrame(title, unit, parts);
}

/** A bar chart of labelled values (status codes, share per backend, histogram buckets). */
export function barChartSvg(title: string, bars: readonly { label: string; value: number; color?: string }[], unit: string, format: (v: number) => string = formatTick): string {
  const yMax = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const inner = W - PAD.left - PAD.right;
  const slot = bars.length > 0 ? inner / bars.length : inner;
  const bw = Math.max(2, Math.min(48, slot * 0.7));
  const sy = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#94a3b8"/>`];
  bars.forEach((bar, i) => {
    const cx = PAD.left + slot * i + slot / 2;
    const y = sy(bar.value);
    parts.push(`<rect x="${(cx - bw / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - PAD.bottom - y).toFixed(1)}" fill="${escapeXml(bar.color ?? '#2563eb')}"/>`);
    parts.push(`<text x="${cx.toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="10" fill="#0f172a">${escapeXml(format(bar.value))}</text>`);
    parts.push(`<text x="${cx.toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10" fill="#475569">${escapeXml(bar.label)}</text>`);
  });
  return svgFrame(title, unit, parts);
}

function svgFrame(title: string, unit: string, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}"><rect width="${W}" height="${H}" fill="#fff"/><text x="${PAD.left}" y="14" font-size="12" font-weight="600" fill="#0f172a">${escapeXml(title)}${unit ? ` <tspan fill="#64748b" font-weight="400">(${escapeXml(unit)})</tspan>` : ''}</text>${parts.join('')}</svg>`;
}
