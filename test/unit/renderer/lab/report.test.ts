import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../../../core/api/contract/index.js';
import { bucketLabel, compareReports, comparisonHtml, parseRunReport, reportHtml, runReport, statusColor } from '../../../../renderer/lab/report.js';
import { newRun } from '../../../../renderer/lab/state.js';
import { barChartSvg, escapeXml, lineChartSvg } from '../../../../renderer/lab/svg.js';
import type { TrafficRun } from '../../../../renderer/lab/types.js';

function finishedRun(label: string, rps: number, byServer: Record<string, number>, status: Record<string, number>): TrafficRun {
  const run = newRun(`id-${label}`, { to: 'nginx', requests: 200 }, label, Date.UTC(2026, 0, 2, 3, 4, 5));
  return {
    ...run,
    phase: 'done',
    completed: 200,
    status,
    byServer,
    histogram: [0, 5, 150, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    series: { t: [0.25, 0.5], rps: [rps, rps], p50: [3, Number.NaN], p99: [9, Number.NaN] },
    result: { requests: 200, rps, status, latency: { p50: 3, p90: 6, p99: 9, max: 12 }, byServer, byAddress: {}, errors: {}, durationMs: 500, aborted: false, url: 'http://127.0.0.1:8080/' },
  };
}

describe('run reports', () => {
  const a = runReport(finishedRun('A <run>', 400, { 'backend-1': 100, 'backend-2': 100 }, { '200': 200 }), 'two backends');
  const b = runReport(finishedRun('B', 300, { 'backend-1': 200 }, { '200': 180, '503': 20 }), 'two backends');

  it('round-trips through JSON and its strict parser; gaps become null', () => {
    expect(a.series.p50).toEqual([3, null]);
    expect(a.startedAt).toBe('2026-01-02T03:04:05.000Z');
    const parsed = parseRunReport(JSON.stringify(a));
    expect(parsed).toEqual({ ok: true, report: a });
    expect(parseRunReport('{')).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
    expect(parseRunReport(JSON.stringify({ ...a, format: 'other' }))).toMatchObject({ ok: false, error: expect.stringContaining('format') });
    expect(parseRunReport(JSON.stringify({ ...a, extra: 1 }))).toMatchObject({ ok: false });
  });

  it('renders a self-contained HTML page: inline SVG charts, no script to run, no external URL, escaped text', () => {
    const html = reportHtml(a);
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).not.toMatch(/<script(?! type="application\/json")/);
    expect(html).not.toMatch(/(src|href)=/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('A &lt;run&gt;');
    expect(html).not.toContain('A <run>');
    const embedded = /<script type="application\/json" id="topolab-run">(.*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(embedded)).toEqual(a);
  });

  it('compares two runs metric by metric', () => {
    const rows = compareReports(a, b);
    expect(rows.find((r) => r.metric === 'Requests/s')).toEqual({ metric: 'Requests/s', a: '400', b: '300', change: '-25%' });
    expect(rows.find((r) => r.metric === 'Errors and 5xx (%)')).toEqual({ metric: 'Errors and 5xx (%)', a: '0', b: '10', change: 'new' });
    expect(rows.find((r) => r.metric === 'Share of backend-2 (%)')).toEqual({ metric: 'Share of backend-2 (%)', a: '50', b: '0', change: '-50 pts' });
    const html = comparisonHtml(a, b);
    expect(html.match(/<svg /g)).toHaveLength(10);
    expect(html).not.toMatch(/<script/);
  });

  it('labels buckets and colours status codes', () => {
    expect(bucketLabel(0, LATENCY_BUCKET_BOUNDS_MS)).toBe('≤1');
    expect(bucketLabel(LATENCY_BUCKET_BOUNDS_MS.length, LATENCY_BUCKET_BOUNDS_MS)).toBe('>5000');
    expect([statusColor('200'), statusColor('503'), statusColor('error')]).toEqual(['#059669', '#dc2626', '#dc2626']);
  });

  it('draws charts with gaps for missing points and escapes labels', () => {
    const svg = lineChartSvg('t', [1, 2, 3, 4], [{ label: '<p50>', color: '#000', values: [1, Number.NaN, 3, 4] }], 'ms');
    const d = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(d.match(/M/g)).toHaveLength(2);
    expect(svg).toContain('&lt;p50&gt;');
    const bars = barChartSvg('b', [{ label: 'x', value: 3 }, { label: 'y', value: 0 }], '');
    expect(bars.match(/<rect x=/g)).toHaveLength(2);
    expect(escapeXml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });
});
