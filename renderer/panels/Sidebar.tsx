import { PANEL_LIMITS } from '../layout/panels.js';
import { Splitter } from '../layout/Splitter.js';
import { ImportReportPanel, useImportReportOpen } from '../import/ImportReport.js';
import { useServices } from '../lib/context.js';
import { useStore } from '../store/useStore.js';
import { DiagnosticsPanel } from './Diagnostics.js';
import { Inspector } from './Inspector.js';
import { TracePanel } from './TracePanel.js';

/**
 * The right-hand sidebar: the inspector (or, while it is on, the reachability tool, so a
 * trace's result sits beside the canvas instead of over the path it explains) above the
 * diagnostics; after an import, its report takes the inspector's place until closed. Resizable by its left edge; folded, it is a rail that still shows the
 * diagnostics counts.
 */
export function Sidebar({ width, collapsed, maxWidth }: { width: number; collapsed: boolean; maxWidth: number }) {
  const { editor, diagnostics } = useServices();
  const showDiagnostics = useStore(editor.store, (s) => s.settings.diagnostics);
  const tracing = useStore(editor.store, (s) => s.traceTool.active);
  const counts = useStore(diagnostics.store, (s) => s.diagnostics);
  const folded = useStore(editor.store, (s) => s.settings.panels.sidebarCollapsed);
  const importReport = useImportReportOpen();
  if (collapsed) {
    const errors = counts.filter((d) => d.severity === 'error').length;
    const warnings = counts.filter((d) => d.severity === 'warning').length;
    return (
      <aside className="sidebar is-rail" data-testid="sidebar" data-collapsed="true" aria-label="Inspector and diagnostics (folded)">
        <button
          type="button"
          className="rail-button"
          data-testid="sidebar-toggle"
          aria-expanded="false"
          title={folded ? 'Show the inspector and diagnostics' : 'The window is too narrow for the inspector: widen it, or fold the palette'}
          onClick={() => editor.updatePanels({ sidebarCollapsed: false, ...(folded ? {} : { paletteCollapsed: true }) })}
        >
          ‹<span className="sr-only">Show the inspector and diagnostics</span>
        </button>
        <span className="rail-counts" data-testid="rail-counts">
          <span className="count count-error" title={`${errors} errors`}>
            {errors}
          </span>
          <span className="count count-warning" title={`${warnings} warnings`}>
            {warnings}
          </span>
        </span>
      </aside>
    );
  }
  return (
    <aside className={`sidebar${showDiagnostics ? '' : ' no-diagnostics'}`} data-testid="sidebar" data-collapsed="false" style={{ width }}>
      <Splitter
        label="Resize the inspector"
        testId="sidebar-splitter"
        orientation="vertical"
        value={width}
        min={PANEL_LIMITS.sidebar.min}
        max={Math.max(PANEL_LIMITS.sidebar.min, maxWidth)}
        grow={-1}
        className="splitter-left"
        onChange={(sidebarWidth) => editor.updatePanels({ sidebarWidth })}
      />
      <div className="sidebar-bar">
        <button type="button" className="icon-button" data-testid="sidebar-toggle" aria-expanded="true" title="Fold the inspector and diagnostics" onClick={() => editor.updatePanels({ sidebarCollapsed: true })}>
          ›<span className="sr-only">Fold the inspector and diagnostics</span>
        </button>
        <span className="sidebar-title">{tracing ? 'Reachability' : importReport ? 'Import' : 'Inspector'}</span>
      </div>
      {tracing ? <TracePanel /> : importReport ? <ImportReportPanel /> : <Inspector />}
      {showDiagnostics ? <DiagnosticsPanel /> : null}
    </aside>
  );
}
