import { useEffect, useMemo, useState } from 'react';
import type { MethodOutput } from '../../core/api/contract/index.js';
import { call, errorMessage } from '../lib/api.js';
import { fileStem } from '../lib/commands.js';
import { useServices } from '../lib/context.js';
import { diagramSvg, download, svgToPng } from '../lib/diagram.js';
import { highlight, languageOf } from '../lib/highlight.js';
import { Dialog } from './Dialog.js';

/** Export targets offered, in the order the CLI documents them. */
const TARGETS = [
  { id: 'nginx', label: 'nginx' },
  { id: 'haproxy', label: 'HAProxy' },
  { id: 'terraform', label: 'Terraform (AWS)' },
  { id: 'compose', label: 'Docker Compose' },
  { id: 'kubernetes', label: 'Kubernetes' },
  { id: 'drawio', label: 'draw.io' },
  { id: 'svg', label: 'Diagram (SVG / PNG)' },
] as const;

type TargetId = (typeof TARGETS)[number]['id'];

type ExportResult = MethodOutput<'export'>;
type ReportEntry = ExportResult['report']['expressed'][number];

/** What the dialog shows: the files and, for config targets, the export report. */
interface ExportView {
  files: ExportResult['files'];
  report?: ExportResult['report'];
}

/**
 * The export dialog: pick a target, see the generated files with highlighting and the
 * export report (expressed, approximated, not expressible), copy a file or download
 * everything. Diagrams (SVG, PNG) are drawn here from the model.
 */
export function ExportDialog() {
  const { editor } = useServices();
  const doc = editor.doc;
  const [target, setTarget] = useState<TargetId>('nginx');
  const [view, setView] = useState<ExportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  useEffect(() => {
    let live = true;
    setView(null);
    setError(null);
    setActive(0);
    if (target === 'svg') {
      setView({ files: [{ path: `${fileStem({ editor })}.svg`, content: diagramSvg(doc, { dark: editor.state.settings.theme === 'dark' }) }] });
      return;
    }
    call('export', { topology: doc, format: target }).then(
      (result) => live && setView(result),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [target, doc, editor]);
  const file = view?.files[active];
  const tokens = useMemo(() => (file ? highlight(file.content, languageOf(file.path)) : []), [file]);
  const copy = async () => {
    if (!file) return;
    try {
      await navigator.clipboard.writeText(file.content);
      editor.toast('success', `Copied ${file.path}`);
    } catch {
      editor.toast('error', 'The browser refused clipboard access; use Download instead');
    }
  };
  const downloadAll = async () => {
    if (!view) return;
    for (const f of view.files) download(f.path.split('/').join('_'), f.content);
    if (target === 'svg') download(`${fileStem({ editor })}.png`, await svgToPng(view.files[0]?.content ?? ''));
  };
  return (
    <Dialog
      title="Export"
      testId="export-dialog"
      wide
      footer={
        <>
          <button type="button" className="button" data-testid="export-copy" disabled={!file} onClick={() => void copy()}>
            Copy file
          </button>
          <button type="button" className="button primary" data-testid="export-download" disabled={!view} onClick={() => void downloadAll()}>
            {target === 'svg' ? 'Download SVG and PNG' : `Download ${view?.files.length ?? ''} file${view?.files.length === 1 ? '' : 's'}`}
          </button>
        </>
      }
    >
      <div className="export">
        <div className="segmented" role="tablist" aria-label="Target">
          {TARGETS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={target === t.id} className={target === t.id ? 'is-active' : ''} data-testid={`export-target-${t.id}`} onClick={() => setTarget(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        {error ? (
          <div className="error-state" data-testid="export-error">
            <strong>Export failed</strong>
            <span>{error}</span>
          </div>
        ) : !view ? (
          <div className="loading-state" data-testid="export-loading">
            <span className="spinner" /> Generating…
          </div>
        ) : (
          <div className="export-body">
            <div className="export-files">
              <div className="file-tabs" role="tablist">
                {view.files.map((f, i) => (
                  <button key={f.path} type="button" role="tab" aria-selected={i === active} className={i === active ? 'is-active' : ''} data-testid={`export-file-${f.path}`} onClick={() => setActive(i)}>
                    {f.path}
                  </button>
                ))}
              </div>
              {target === 'svg' && file ? (
                <div className="svg-preview" data-testid="export-svg-preview">
                  <img alt="Diagram preview" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(file.content)}`} />
                </div>
              ) : (
                <pre className="code" data-testid="export-preview" data-path={file?.path}>
                  <code>
                    {tokens.map((t, i) => (t.kind === 'plain' ? t.text : <span key={i} className={`tok-${t.kind}`}>{t.text}</span>))}
                  </code>
                </pre>
              )}
            </div>
            {view.report ? (
              <aside className="export-report" data-testid="export-report">
                {view.report.errors?.length ? <ReportList title="Design errors" tone="errors" entries={view.report.errors} /> : null}
                <ReportList title="Expressed" tone="ok" entries={view.report.expressed} />
                <ReportList title="Approximated" tone="warn" entries={view.report.approximated} />
                <ReportList title="Not expressible" tone="bad" entries={view.report.notExpressible} />
              </aside>
            ) : null}
          </div>
        )}
      </div>
    </Dialog>
  );
}

function ReportList({ title, tone, entries }: { title: string; tone: string; entries: ReportEntry[] }) {
  return (
    <section className={`report-${tone}`} data-testid={`report-${tone}`}>
      <h3>
        {title} <span className="muted">({entries.length})</span>
      </h3>
      <ul>
        {entries.map((e, i) => (
          <li key={i}>
            <strong>{e.feature}</strong>
            {e.nodeId ? <code> {e.nodeId}</code> : null}: {e.detail}
            {e.action ? <div className="muted">What to do: {e.action}</div> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
