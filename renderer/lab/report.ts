import { z } from 'zod';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../core/api/contract/index.js';
import { backendShares } from './state.js';
import { barChartSvg, escapeXml, lineChartSvg } from './svg.js';
import type { TrafficRun } from './types.js';

/** Version tag of a saved run report. */
export const REPORT_FORMAT = 'topolab-run/1';

const Counts = z.record(z.string().max(128), z.number().nonnegative());
const Numbers = z.array(z.number().nullable()).max(100_000);

/** A saved traffic run: what was sent, the summary and the series behind the charts. */
export const RunReportSchema = z.strictObject({
  format: z.literal(REPORT_FORMAT),
  design: z.string().max(256),
  label: z.string().max(512),
  startedAt: z.string().max(64),
  request: z.record(z.string(), z.unknown()),
  summary: z.strictObject({
    requests: z.number().nonnegative(),
    rps: z.number().nonnegative(),
    durationMs: z.number().nonnegative(),
    aborted: z.boolean(),
    latency: z.strictObject({ p50: z.number(), p90: z.number(), p99: z.number(), max: z.number() }),
  }),
  status: Counts,
  byServer: Counts,
  histogram: z.strictObject({ boundsMs: z.array(z.number()).max(64), counts: z.array(z.number().nonnegative()).max(65) }),
  series: z.strictObject({ t: Numbers, rps: Numbers, p50: Numbers, p99: Numbers }),
});

/** A saved run report (`*.run.json`). */
export type RunReport = z.output<typeof RunReportSchema>;

const nanToNull = (values: readonly number[]): (number | null)[] => values.map((v) => (Number.isFinite(v) ? v : null));
const nullToNan = (values: readonly (number | null)[]): number[] => values.map((v) => (v === null ? Number.NaN : v));

/** The report of a finished (or cancelled) run. */
export function runReport(run: TrafficRun, design: string): RunReport {
  const result = run.result;
  return {
    format: REPORT_FORMAT,
    design,
    label: run.label,
    startedAt: new Date(run.startedAt).toISOString(),
    request: { ...run.input },
    summary: {
      requests: result?.requests ?? run.completed,
      rps: result?.rps ?? 0,
      durationMs: result?.durationMs ?? 0,
      aborted: result?.aborted ?? run.phase !== 'done',
      latency: result?.latency ?? { p50: 0, p90: 0, p99: 0, max: 0 },
    },
    status: { ...run.status },
    byServer: { ...run.byServer },
    histogram: { boundsMs: [...LATENCY_BUCKET_BOUNDS_MS], counts: [...run.histogram] },
    series: { t: nanToNull(run.series.t), rps: nanToNull(run.series.rps), p50: nanToNull(run.series.p50), p99: nanToNull(run.series.p99) },
  };
}

/** Parses a report file strictly; the error names the JSON path. */
export function parseRunReport(text: string): { ok: true; report: RunReport } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = RunReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `not a Topolab run report: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}` };
  }
  return { ok: true, report: parsed.data };
}

const STATUS_COLORS: Record<string, string> = { '2': '#059669', '3': '#0891b2', '4': '#d97706', '5': '#dc2626' };

/** Colour of a status code's bar: green 2xx, blue 3xx, amber 4xx, red 5xx and errors. */
export function statusColor(code: string): string {
  return STATUS_COLORS[code[0] ?? ''] ?? '#dc2626';
}

/**
 * A chart axis number as people read it: `0`, `0.25`, `7.5`, `42`, `1.2k`, `35k`, `2.5M`
 * (never uPlot's fixed decimals, which a narrow axis cut to ".000"). Pure.
 */
export function axisNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  const abs = Math.abs(v);
  const trim = (n: number, digits: number) => String(Number(n.toFixed(digits)));
  if (abs >= 1e6) return `${trim(v / 1e6, abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e3) return `${trim(v / 1e3, abs >= 1e4 ? 0 : 1)}k`;
  if (abs >= 10) return trim(v, 0);
  if (abs >= 1) return trim(v, 1);
  return abs === 0 ? '0' : String(Number(v.toPrecision(2)));
}

/** Label of histogram bucket `i`: "≤5 ms", last "> 5000 ms". */
export function bucketLabel(i: number, bounds: readonly number[]): string {
  const bound = bounds[i];
  return bound === undefined ? `>${bounds.at(-1) ?? 0}` : `≤${bound}`;
}

/** The four charts of a report as inline SVG strings. */
export function reportCharts(report: RunReport): { rps: string; latency: string; histogram: string; status: string; backends: string } {
  const t = nullToNan(report.series.t);
  return {
    rps: lineChartSvg('Requests per second', t, [{ label: 'req/s', color: '#2563eb', values: nullToNan(report.series.rps) }], 'req/s'),
    latency: lineChartSvg(
      'Latency over time',
      t,
      [
        { label: 'p50', color: '#059669', values: nullToNan(report.series.p50) },
        { label: 'p99', color: '#dc2626', values: nullToNan(report.series.p99) },
      ],
      'ms',
    ),
    histogram: barChartSvg(
      'Latency histogram',
      report.histogram.counts.map((value, i) => ({ label: bucketLabel(i, report.histogram.boundsMs), value, color: '#7c3aed' })),
      'requests per ms bucket',
    ),
    status: barChartSvg(
      'Status codes',
      Object.entries(report.status)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, value]) => ({ label: code, value, color: statusColor(code) })),
      'responses',
    ),
    backends: barChartSvg(
      'Share per backend',
      backendShares(report.byServer).map((s) => ({ label: s.id, value: s.share * 100, color: '#ea580c' })),
      '%',
      (v) => `${Math.round(v)}%`,
    ),
  };
}

function summaryRows(report: RunReport): [string, string][] {
  const s = report.summary;
  return [
    ['Requests', String(s.requests)],
    ['Requests/s', String(s.rps)],
    ['Duration', `${s.durationMs} ms`],
    ['Latency p50 / p90 / p99 / max', `${s.latency.p50} / ${s.latency.p90} / ${s.latency.p99} / ${s.latency.max} ms`],
    ['Status', Object.entries(report.status).map(([k, v]) => `${k}: ${v}`).join(', ') || '—'],
    ['Served by', Object.entries(report.byServer).map(([k, v]) => `${k}: ${v}`).join(', ') || '—'],
    ['Cancelled', s.aborted ? 'yes' : 'no'],
  ];
}

const PAGE_STYLE =
  'body{font:14px/1.5 system-ui,sans-serif;color:#0f172a;margin:24px;background:#f8fafc}h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:18px 0 8px}table{border-collapse:collapse;background:#fff}td,th{border:1px solid #e2e8f0;padding:4px 10px;text-align:left;vertical-align:top}.charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #e2e8f0;border-radius:6px}.cols{display:grid;grid-template-columns:1fr 1fr;gap:24px}.muted{color:#64748b}';

function reportSection(report: RunReport): string {
  const charts = reportCharts(report);
  const rows = summaryRows(report)
    .map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`)
    .join('');
  return `<section><h2>${escapeXml(report.label)}</h2><p class="muted">${escapeXml(report.design)} · ${escapeXml(report.startedAt)}</p><table>${rows}</table><div class="charts">${charts.rps}${charts.latency}${charts.histogram}${charts.status}${charts.backends}</div></section>`;
}

/**
 * A self-contained HTML page of one run: summary table and inline SVG charts, no scripts
 * (the CSP forbids them); the report's JSON rides along as inert data (`<` escaped).
 */
export function reportHtml(report: RunReport): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${escapeXml(`Topolab run: ${report.label}`)}</title><style>${PAGE_STYLE}</style></head><body><h1>Topolab run report</h1>${reportSection(report)}<script type="application/json" id="topolab-run">${JSON.stringify(report).replace(/</g, '\\u003c')}</script></body></html>`;
}

/** One line of a side-by-side comparison: a metric for run A and run B and the change. */
export interface ComparisonRow {
  metric: string;
  a: string;
  b: string;
  change: string;
}

function pct(a: number, b: number): string {
  if (a === 0) return b === 0 ? '±0%' : 'new';
  const change = ((b - a) / a) * 100;
  return `${change >= 0 ? '+' : ''}${Math.round(change)}%`;
}

/** Compares two runs metric by metric (B against A). Pure. */
export function compareReports(a: RunReport, b: RunReport): ComparisonRow[] {
  const rows: ComparisonRow[] = [
    { metric: 'Requests', a: String(a.summary.requests), b: String(b.summary.requests), change: pct(a.summary.requests, b.summary.requests) },
    { metric: 'Requests/s', a: String(a.summary.rps), b: String(b.summary.rps), change: pct(a.summary.rps, b.summary.rps) },
  ];
  for (const key of ['p50', 'p90', 'p99', 'max'] as const) {
    rows.push({ metric: `Latency ${key} (ms)`, a: String(a.summary.latency[key]), b: String(b.summary.latency[key]), change: pct(a.summary.latency[key], b.summary.latency[key]) });
  }
  const share = (r: RunReport, code: (c: string) => boolean): number => {
    const total = Object.values(r.status).reduce((x, y) => x + y, 0);
    const n = Object.entries(r.status).filter(([c]) => code(c)).reduce((x, [, y]) => x + y, 0);
    return total > 0 ? Math.round((n / total) * 1000) / 10 : 0;
  };
  const errors = (c: string): boolean => c === 'error' || c.startsWith('5');
  rows.push({ metric: 'Errors and 5xx (%)', a: String(share(a, errors)), b: String(share(b, errors)), change: pct(share(a, errors), share(b, errors)) });
  const servers = [...new Set([...Object.keys(a.byServer), ...Object.keys(b.byServer)])].sort();
  const sharesA = new Map(backendShares(a.byServer).map((s) => [s.id, s.share]));
  const sharesB = new Map(backendShares(b.byServer).map((s) => [s.id, s.share]));
  for (const id of servers) {
    const x = Math.round((sharesA.get(id) ?? 0) * 1000) / 10;
    const y = Math.round((sharesB.get(id) ?? 0) * 1000) / 10;
    rows.push({ metric: `Share of ${id} (%)`, a: String(x), b: String(y), change: `${y - x >= 0 ? '+' : ''}${Math.round((y - x) * 10) / 10} pts` });
  }
  return rows;
}

/** A self-contained HTML page comparing two runs side by side. */
export function comparisonHtml(a: RunReport, b: RunReport): string {
  const rows = compareReports(a, b)
    .map((r) => `<tr><th>${escapeXml(r.metric)}</th><td>${escapeXml(r.a)}</td><td>${escapeXml(r.b)}</td><td>${escapeXml(r.change)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Topolab run comparison</title><style>${PAGE_STYLE}</style></head><body><h1>Topolab run comparison</h1><table><tr><th>Metric</th><th>A: ${escapeXml(a.label)}</th><th>B: ${escapeXml(b.label)}</th><th>B vs A</th></tr>${rows}</table><div class="cols"><div>${reportSection(a)}</div><div>${reportSection(b)}</div></div></body></html>`;
}
