import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { LATENCY_BUCKET_BOUNDS_MS } from '../../../core/api/contract/index.js';
import { axisNumber, bucketLabel, statusColor } from '../report.js';
import { backendShares } from '../state.js';
import type { RunSeries } from '../types.js';

const WIDTH = 190;
const HEIGHT = 130;

/** A uPlot chart kept across renders: created once, then fed new data (uPlot redraws in a frame). */
function useUPlot(options: () => uPlot.Options, data: uPlot.AlignedData) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    if (!host.current) return;
    plot.current = new uPlot(options(), [[]], host.current);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
    // Options are fixed for the life of the chart; data flows through setData below.
  }, []);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return host;
}

// Canvas drawing takes colours, not CSS variables: a mid grey reads on both themes.
const axisColors = { stroke: '#7b8aa0', grid: { stroke: 'rgba(100,116,139,0.15)' }, ticks: { stroke: 'rgba(100,116,139,0.3)' } };

/**
 * A value axis whose labels are whole, readable numbers with their unit (`1.2k/s`,
 * `35 ms`), wide enough for its longest label: uPlot's own labels were cut to ".000".
 */
function valueAxis(unit: string): uPlot.Axis {
  return {
    ...axisColors,
    space: 24,
    font: '10px sans-serif',
    values: (_u, splits) => splits.map((v) => `${axisNumber(v)}${unit}`),
    // uPlot's size holds the ticks (10 px) and a gap (5 px) besides the labels, about 6 px a character at 10 px.
    size: (_u, values) => 24 + 6.5 * Math.max(3, ...(values ?? []).map((v) => v.length)),
  };
}

/** A time axis in seconds: `0.5 s`, `2 s`. */
const timeAxis: uPlot.Axis = { ...axisColors, size: 26, font: '10px sans-serif', values: (_u, splits) => splits.map((v) => `${axisNumber(v)} s`) };

/** Requests per second over the run. */
export const RpsChart = memo(function RpsChart({ series }: { series: RunSeries }) {
  const host = useUPlot(
    () => ({
      width: WIDTH,
      height: HEIGHT,
      legend: { show: false },
      scales: { x: { time: false } },
      axes: [timeAxis, valueAxis('/s')],
      series: [{}, { label: 'req/s', stroke: '#2563eb', width: 2, fill: 'rgba(37,99,235,0.12)' }],
    }),
    [series.t, series.rps],
  );
  return (
    <figure className="lab-chart" data-testid="chart-rps" data-points={series.t.length}>
      <figcaption>Requests/s over time (s)</figcaption>
      <div ref={host} />
    </figure>
  );
});

/** Latency p50 and p99 of each progress window over the run. */
export const LatencyChart = memo(function LatencyChart({ series }: { series: RunSeries }) {
  const host = useUPlot(
    () => ({
      width: WIDTH,
      height: HEIGHT,
      legend: { show: true, live: false },
      scales: { x: { time: false } },
      axes: [timeAxis, valueAxis(' ms')],
      series: [{}, { label: 'p50 ms', stroke: '#059669', width: 2, spanGaps: true }, { label: 'p99 ms', stroke: '#dc2626', width: 2, spanGaps: true }],
    }),
    [series.t, series.p50.map(nullable), series.p99.map(nullable)],
  );
  return (
    <figure className="lab-chart" data-testid="chart-latency">
      <figcaption>Latency p50 / p99 (ms)</figcaption>
      <div ref={host} />
    </figure>
  );
});

function nullable(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Latency histogram as uPlot bars over the fixed buckets. */
export const HistogramChart = memo(function HistogramChart({ counts }: { counts: number[] }) {
  const labels = Array.from({ length: LATENCY_BUCKET_BOUNDS_MS.length + 1 }, (_, i) => bucketLabel(i, LATENCY_BUCKET_BOUNDS_MS));
  const xs = labels.map((_, i) => i);
  const host = useUPlot(
    () => ({
      width: WIDTH,
      height: HEIGHT,
      legend: { show: false },
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] } },
      axes: [
        { ...axisColors, values: (_u, splits) => splits.map((v) => labels[v] ?? ''), space: 24, size: 30, font: '9px sans-serif' },
        valueAxis(''),
      ],
      series: [{}, { label: 'requests', stroke: '#7c3aed', fill: 'rgba(124,58,237,0.45)', paths: uPlot.paths.bars?.({ size: [0.7, 40] }), points: { show: false } }],
    }),
    [xs, labels.map((_, i) => counts[i] ?? 0)],
  );
  return (
    <figure className="lab-chart" data-testid="chart-histogram">
      <figcaption>Latency histogram (ms)</figcaption>
      <div ref={host} />
    </figure>
  );
});

/** Horizontal bars with counts, readable in the panel and by tests. */
export function CountBars({ title, testId, rows }: { title: string; testId: string; rows: { id: string; count: number; share: number; color: string }[] }) {
  return (
    <figure className="lab-chart lab-bars" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {rows.length === 0 ? <p className="muted">No answers yet</p> : null}
      {rows.map((row) => (
        <div className="lab-bar-row" key={row.id} data-testid={`${testId}-${row.id}`} data-count={row.count} data-share={row.share.toFixed(4)}>
          <span className="lab-bar-label" title={row.id}>
            {row.id}
          </span>
          <span className="lab-bar-track">
            <span className="lab-bar-fill" style={{ width: `${Math.round(row.share * 100)}%`, background: row.color }} />
          </span>
          <span className="lab-bar-value">
            {row.count} ({Math.round(row.share * 1000) / 10}%)
          </span>
        </div>
      ))}
    </figure>
  );
}

/** Status codes of a run as bars. */
export function StatusBars({ status }: { status: Record<string, number> }) {
  const total = Object.values(status).reduce((a, b) => a + b, 0);
  const rows = Object.keys(status)
    .sort()
    .map((code) => ({ id: code, count: status[code] ?? 0, share: total > 0 ? (status[code] ?? 0) / total : 0, color: statusColor(code) }));
  return <CountBars title="Status codes" testId="status-bars" rows={rows} />;
}

/**
 * Responses per designed address the client connected to, as bars, once a run is done: for
 * a DNS name, the answers that served (a stopped server's address keeps its share until the
 * cached answer's TTL runs out).
 */
export function AddressBars({ byAddress }: { byAddress: Record<string, number> }) {
  const rows = backendShares(byAddress).map((s) => ({ ...s, color: 'var(--k-dns-zone)' }));
  return <CountBars title="Share per address" testId="address-bars" rows={rows} />;
}

/** Share served by each backend as bars. */
export function BackendBars({ byServer }: { byServer: Record<string, number> }) {
  const rows = backendShares(byServer).map((s) => ({ ...s, color: '#ea580c' }));
  return <CountBars title="Share per backend" testId="backend-bars" rows={rows} />;
}
