import { useServices } from '../lib/context.js';
import { useStore } from '../store/useStore.js';

/** Whether the last import's report is shown: its design is the open one and the user has not closed it. */
export function useImportReportOpen(): boolean {
  const { editor, importer } = useServices();
  const reportLoad = useStore(importer.store, (s) => s.report?.load);
  const load = useStore(editor.store, (s) => s.loads);
  return reportLoad === load;
}

/**
 * The report of the last import, beside the imported design: how many nodes, where each
 * instance listens and why, everything left out with its reason, and the design's own
 * problems (the diagnostics panel lists them). Shown while that design is the open one;
 * the user can close it. It sits in the sidebar, in the inspector's place (Sidebar.tsx).
 */
export function ImportReportPanel() {
  const { editor, importer, diagnostics } = useServices();
  const report = useStore(importer.store, (s) => s.report);
  const load = useStore(editor.store, (s) => s.loads);
  const checked = useStore(diagnostics.store, (s) => s.diagnostics);
  const pending = useStore(diagnostics.store, (s) => s.pending);
  if (!report || report.load !== load) return null;
  const errors = checked.filter((d) => d.severity === 'error').length;
  const warnings = checked.filter((d) => d.severity === 'warning').length;
  return (
    <aside className="import-report" data-testid="import-report" aria-label="Import report">
      <header className="panel-header">
        <h2>Import report</h2>
        <button type="button" className="icon-button" aria-label="Close the import report" data-testid="import-report-close" onClick={() => importer.closeReport()}>
          ×
        </button>
      </header>
      <div className="import-report-body">
        <p data-testid="import-report-summary">
          <strong data-testid="import-report-nodes">{report.nodes}</strong> node{report.nodes === 1 ? '' : 's'} from {report.files.length} {report.source === 'aws' ? 'AWS' : 'Terraform'} file
          {report.files.length === 1 ? '' : 's'}.
        </p>
        <p className="muted" data-testid="import-report-check">
          {pending ? 'Checking the design…' : `The design: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (see Diagnostics).`}
        </p>
        <h3>Ignored ({report.ignored.length})</h3>
        {report.ignored.length === 0 ? (
          <p className="muted">Nothing: every item of the files is in the design.</p>
        ) : (
          <ul className="import-list" data-testid="import-report-ignored">
            {report.ignored.map((item, i) => (
              <li key={`${item.type}:${item.id}:${i}`} data-testid={`import-ignored-${item.id}`}>
                <code>{item.id}</code> <span className="tag">{item.type}</span>
                <div className="muted">{item.reason}</div>
              </li>
            ))}
          </ul>
        )}
        {report.ports.length > 0 ? (
          <>
            <h3>Listening ports ({report.ports.length})</h3>
            <ul className="import-list" data-testid="import-report-ports">
              {report.ports.map((note) => (
                <li key={note.nodeId} data-testid={`import-port-${note.nodeId}`}>
                  <code>{note.nodeId}</code>: {note.port} <span className="muted">({note.source})</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </aside>
  );
}
