import { useState } from 'react';
import { download } from '../../lib/diagram.js';
import { useLab } from '../context.js';
import { compareReports, comparisonHtml, parseRunReport, reportHtml, runReport, type RunReport } from '../report.js';

function fileBase(report: RunReport): string {
  return `topolab-run-${report.startedAt.replace(/[:.]/g, '-')}`;
}

/** Finished runs: save as JSON or HTML, open saved reports, compare two side by side. */
export function ReportsPanel({ design }: { design: string }) {
  const runs = useLab((s) => s.runs);
  const [imported, setImported] = useState<RunReport[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const finished = runs.filter((r) => r.phase === 'done' || r.phase === 'cancelled');
  const reports: { key: string; report: RunReport }[] = [
    ...finished.map((run) => ({ key: run.id, report: runReport(run, design) })),
    ...imported.map((report, i) => ({ key: `file-${i}`, report })),
  ];
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const ra = reports.find((r) => r.key === a)?.report;
  const rb = reports.find((r) => r.key === b)?.report;

  const open = async (file: File) => {
    const parsed = parseRunReport(await file.text());
    if (!parsed.ok) return setProblem(`${file.name}: ${parsed.error}`);
    setProblem(null);
    setImported((list) => [...list, parsed.report]);
  };

  return (
    <div className="lab-reports" data-testid="reports-panel">
      {reports.length === 0 ? <p className="muted lab-hint">Finished traffic runs appear here. Save them as JSON or as an HTML page with the charts, or compare two.</p> : null}
      <table className="lab-table">
        <tbody>
          {reports.map(({ key, report }) => (
            <tr key={key} data-testid={`report-${key}`}>
              <td>{report.label}</td>
              <td className="muted">{new Date(report.startedAt).toLocaleTimeString()}</td>
              <td>
                {report.summary.requests} req · {report.summary.rps} req/s · p99 {report.summary.latency.p99} ms
              </td>
              <td className="lab-row-actions">
                <button type="button" className="button small" data-testid={`report-json-${key}`} onClick={() => download(`${fileBase(report)}.json`, `${JSON.stringify(report, null, 2)}\n`, 'application/json')}>
                  JSON
                </button>
                <button type="button" className="button small" data-testid={`report-html-${key}`} onClick={() => download(`${fileBase(report)}.html`, reportHtml(report), 'text/html')}>
                  HTML
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="button small lab-file">
        Open a saved report…
        <input type="file" accept=".json,application/json" data-testid="report-open" onChange={(e) => e.target.files?.[0] && void open(e.target.files[0])} />
      </label>
      {problem ? (
        <p className="lab-problem" role="alert">
          {problem}
        </p>
      ) : null}
      {reports.length >= 2 ? (
        <div className="lab-compare">
          <h4>Compare</h4>
          <select data-testid="compare-a" value={a} onChange={(e) => setA(e.target.value)}>
            <option value="">Run A…</option>
            {reports.map(({ key, report }) => (
              <option key={key} value={key}>
                {report.label} ({new Date(report.startedAt).toLocaleTimeString()})
              </option>
            ))}
          </select>
          <select data-testid="compare-b" value={b} onChange={(e) => setB(e.target.value)}>
            <option value="">Run B…</option>
            {reports.map(({ key, report }) => (
              <option key={key} value={key}>
                {report.label} ({new Date(report.startedAt).toLocaleTimeString()})
              </option>
            ))}
          </select>
          {ra && rb ? (
            <>
              <table className="lab-table" data-testid="comparison">
                <thead>
                  <tr>
                    <th>Metric</th>
                    <th>A</th>
                    <th>B</th>
                    <th>B vs A</th>
                  </tr>
                </thead>
                <tbody>
                  {compareReports(ra, rb).map((row) => (
                    <tr key={row.metric}>
                      <th>{row.metric}</th>
                      <td>{row.a}</td>
                      <td>{row.b}</td>
                      <td>{row.change}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="button" className="button small" data-testid="compare-html" onClick={() => download('topolab-comparison.html', comparisonHtml(ra, rb), 'text/html')}>
                Save comparison as HTML
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
