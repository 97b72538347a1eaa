import { useEffect, useRef, type CSSProperties } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas.js';
import { ExportDialog } from './dialogs/ExportDialog.js';
import { ConfirmNewDialog, OpenDialog, SaveAsDialog } from './dialogs/FileDialogs.js';
import { HelpSheet } from './dialogs/HelpSheet.js';
import { PlannerDialog } from './dialogs/PlannerDialog.js';
import { TemplateGallery } from './dialogs/TemplateGallery.js';
import { ImportDialog } from './import/ImportDialog.js';
import { useImportReportOpen } from './import/ImportReport.js';
import { useFileDrop } from './import/useFileDrop.js';
import { useServices } from './lib/context.js';
import { useMenuCommands } from './lib/menu.js';
import { useShortcuts } from './lib/useCommands.js';
import { PANEL_LIMITS, sidePanels } from './layout/panels.js';
import { useElementHeight, useWindowSize } from './layout/useSize.js';
import { Palette } from './panels/Palette.js';
import { Sidebar } from './panels/Sidebar.js';
import { EmptyCanvas, LoadErrorState, LoadingState, RecoveryBanner, RecoveryProblemBanner } from './panels/States.js';
import { StatusBar } from './panels/StatusBar.js';
import { Toasts } from './panels/Toasts.js';
import { Toolbar } from './panels/Toolbar.js';
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
  const { editor, session, diagnostics } = useServices();
  const phase = useStore(session.store, (s) => s.phase);
  const theme = useStore(editor.store, (s) => s.settings.theme);
  const doc = useStore(editor.store, (s) => s.history.present.doc);
  const panels = useStore(editor.store, (s) => s.settings.panels);
  const tracing = useStore(editor.store, (s) => s.traceTool.active);
  const windowSize = useWindowSize();
  const stage = useRef<HTMLElement>(null);
  const stageHeight = useElementHeight(stage);
  const importReport = useImportReportOpen();
  // The reachability tool and the import report live in the sidebar: a folded sidebar unfolds while one is shown.
  const side = sidePanels(tracing || importReport ? { ...panels, sidebarCollapsed: false } : panels, windowSize.width);
  useShortcuts();
  useMenuCommands();
  useFileDrop();
  useEffect(() => diagnostics.schedule(doc), [doc, diagnostics]);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  return (
    <div className="app" data-testid="app-root" data-phase={phase} style={{ '--sidebar-w': `${side.sidebar.width}px` } as CSSProperties}>
      <Toolbar />
      <RecoveryBanner />
      <RecoveryProblemBanner />
      <div className="workspace" style={{ gridTemplateColumns: `${side.palette.width}px minmax(0, 1fr) ${side.sidebar.width}px` }}>
        <Palette width={side.palette.width} collapsed={side.palette.collapsed} maxWidth={side.sideBudget - side.sidebar.width} />
        <main className="stage" ref={stage} data-testid="stage">
          {phase === 'loading' ? <LoadingState /> : phase === 'error' ? <LoadErrorState /> : (
            <>
              <div className="canvas-area">
                <Canvas />
                <EmptyCanvas />
              </div>
              <LabDock stageHeight={stageHeight} windowHeight={windowSize.height} />
            </>
          )}
        </main>
        <Sidebar width={side.sidebar.width} collapsed={side.sidebar.collapsed} maxWidth={Math.min(PANEL_LIMITS.sidebar.max, side.sideBudget - side.palette.width)} />
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
