import { useEffect } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas.js';
import { ExportDialog } from './dialogs/ExportDialog.js';
import { ConfirmNewDialog, OpenDialog, SaveAsDialog } from './dialogs/FileDialogs.js';
import { HelpSheet } from './dialogs/HelpSheet.js';
import { PlannerDialog } from './dialogs/PlannerDialog.js';
import { TemplateGallery } from './dialogs/TemplateGallery.js';
import { ImportDialog } from './import/ImportDialog.js';
import { ImportReportPanel } from './import/ImportReport.js';
import { useFileDrop } from './import/useFileDrop.js';
import { useServices } from './lib/context.js';
import { useMenuCommands } from './lib/menu.js';
import { useShortcuts } from './lib/useCommands.js';
import { DiagnosticsPanel } from './panels/Diagnostics.js';
import { Inspector } from './panels/Inspector.js';
import { Palette } from './panels/Palette.js';
import { EmptyCanvas, LoadErrorState, LoadingState, RecoveryBanner } from './panels/States.js';
import { StatusBar } from './panels/StatusBar.js';
import { Toasts } from './panels/Toasts.js';
import { Toolbar } from './panels/Toolbar.js';
import { TracePanel } from './panels/TracePanel.js';
import { LabDock } from './lab/components/LabDock.js';
import { useStore } from './store/useStore.js';

function Dialogs() {
  const { editor } = useServices();
  const dialog = useStore(editor.store, (s) => s.dialog);
  switch (dialog) {
    case 'open':
      return <OpenDialog />;
    case 'import':
      return <ImportDialog />;
    case 'save-as':
      return <SaveAsDialog />;
    case 'confirm-new':
      return <ConfirmNewDialog />;
    case 'help':
      return <HelpSheet />;
    case 'templates':
      return <TemplateGallery />;
    case 'planner':
      return <PlannerDialog />;
    case 'export':
      return <ExportDialog />;
    default:
      return null;
  }
}

function Workspace() {
  const { editor, session, diagnostics, importer } = useServices();
  const phase = useStore(session.store, (s) => s.phase);
  const theme = useStore(editor.store, (s) => s.settings.theme);
  const doc = useStore(editor.store, (s) => s.history.present.doc);
  const showDiagnostics = useStore(editor.store, (s) => s.settings.diagnostics);
  useShortcuts();
  useMenuCommands();
  useFileDrop();
  const reportLoad = useStore(importer.store, (s) => s.report?.load);
  const loads = useStore(editor.store, (s) => s.loads);
  useEffect(() => diagnostics.schedule(doc), [doc, diagnostics]);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <div className="app" data-testid="app-root" data-phase={phase}>
      <Toolbar />
      <RecoveryBanner />
      <div className={`workspace${reportLoad === loads ? ' with-report' : ''}`}>
        <Palette />
        <main className="stage">
          {phase === 'loading' ? <LoadingState /> : phase === 'error' ? <LoadErrorState /> : (
            <>
              <Canvas />
              <EmptyCanvas />
              <TracePanel />
              <LabDock />
            </>
          )}
        </main>
        <ImportReportPanel />
        <aside className={`sidebar${showDiagnostics ? '' : ' no-diagnostics'}`}>
          <Inspector />
          {showDiagnostics ? <DiagnosticsPanel /> : null}
        </aside>
      </div>
      <StatusBar />
      <Dialogs />
      <Toasts />
    </div>
  );
}

/** The app: services come from main.tsx; React Flow's provider spans toolbar and canvas. */
export function App() {
  return (
    <ReactFlowProvider>
      <Workspace />
    </ReactFlowProvider>
  );
}
