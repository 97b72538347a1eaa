import { useServices } from '../lib/context.js';
import { useStore } from '../store/useStore.js';

/** The bottom line: design size, selection, validation state, backup state, zoom hints. */
export function StatusBar() {
  const { editor, session, diagnostics } = useServices();
  const nodes = useStore(editor.store, (s) => s.history.present.doc.nodes.length);
  const edges = useStore(editor.store, (s) => s.history.present.doc.edges.length);
  const selection = useStore(editor.store, (s) => s.selection.length);
  const snap = useStore(editor.store, (s) => s.settings.snapToGrid);
  const backup = useStore(session.store, (s) => s.backup);
  const pending = useStore(diagnostics.store, (s) => s.pending);
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span>
        {nodes} nodes · {edges} connections
      </span>
      {selection > 0 ? <span>{selection} selected</span> : null}
      <span data-testid="validation-state" data-state={pending ? 'pending' : 'done'}>
        {pending ? 'Checking…' : 'Checked'}
      </span>
      <button type="button" className="link-button" onClick={() => editor.updateSettings({ snapToGrid: !snap })} data-testid="toggle-snap">
        Snap {snap ? 'on' : 'off'}
      </button>
      <span className="spacer" />
      <span data-testid="backup-status" data-state={backup.state}>
        {backup.state === 'pending' ? 'Backing up…' : backup.state === 'saved' ? `Backed up ${new Date(backup.at ?? 0).toLocaleTimeString()}` : backup.state === 'failed' ? 'Backup failed' : ''}
      </span>
    </footer>
  );
}
