import { recentFiles } from '../files/recent.js';
import { useServices } from '../lib/context.js';
import { useCommandRunner } from '../lib/useCommands.js';
import { useStore } from '../store/useStore.js';

/** Offered after a crash or reload: the unsaved work found in the backups. */
export function RecoveryBanner() {
  const { session } = useServices();
  const offer = useStore(session.store, (s) => s.recovery);
  if (!offer) return null;
  return (
    <div className="banner" role="alert" data-testid="recovery-banner">
      <span>
        <strong>Unsaved work found</strong> {offer.name ? `for ${offer.name}` : 'from an unsaved design'}, backed up {new Date(offer.savedAt).toLocaleString()}.
      </span>
      <button type="button" className="button primary small" data-testid="recovery-restore" onClick={() => void session.restore()}>
        Restore
      </button>
      <button type="button" className="button small" data-testid="recovery-discard" onClick={() => void session.discardRecovery()}>
        Discard
      </button>
    </div>
  );
}

/**
 * The look for unsaved work could not ask the service (it failed or did not answer in
 * time): the app opened without it, and says so rather than implying there is nothing to
 * recover. The service's backups are left as they are; this session backs up in the browser.
 */
export function RecoveryProblemBanner() {
  const { session } = useServices();
  const problem = useStore(session.store, (s) => s.recoveryProblem);
  if (!problem) return null;
  return (
    <div className="banner" role="alert" data-testid="recovery-check-failed">
      <span>
        <strong>Could not check for unsaved work</strong> from an earlier session: {problem}. Earlier backups are left as they are and this session's work is backed up in
        this browser; reload to check again.
      </span>
      <button type="button" className="button small" data-testid="recovery-check-dismiss" onClick={() => session.dismissRecoveryProblem()}>
        Dismiss
      </button>
    </div>
  );
}

/** Shown while a design loads. */
export function LoadingState() {
  return (
    <div className="center-state" data-testid="loading-state">
      <span className="spinner large" />
      <span>Opening the design…</span>
    </div>
  );
}

/** Shown when a design cannot be opened: every problem with its JSON path, and ways out. */
export function LoadErrorState() {
  const { session } = useServices();
  const run = useCommandRunner();
  const error = useStore(session.store, (s) => s.error);
  if (!error) return null;
  return (
    <div className="center-state" data-testid="load-error">
      <div className="error-card">
        <h2>{error.title}</h2>
        <p data-testid="load-error-message">{error.message}</p>
        {error.issues.length > 0 ? (
          <ul className="issue-list" data-testid="load-error-issues">
            {error.issues.slice(0, 50).map((issue, i) => (
              <li key={i}>
                <code>{issue.path || '(document)'}</code> {issue.message}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="button-row">
          <button type="button" className="button primary" data-testid="load-error-new" onClick={() => session.newDesign()}>
            Start a new design
          </button>
          <button type="button" className="button" onClick={() => run('file.open')}>
            Open another…
          </button>
        </div>
      </div>
    </div>
  );
}

/** The empty canvas: what to do first. */
export function EmptyCanvas() {
  const { editor, session } = useServices();
  const run = useCommandRunner();
  const empty = useStore(editor.store, (s) => s.history.present.doc.nodes.length === 0);
  if (!empty) return null;
  const recent = recentFiles().slice(0, 4);
  return (
    <div className="empty-canvas" data-testid="empty-canvas">
      <div className="empty-card">
        <h2>Design a network</h2>
        <p>Drag a <strong>VPC</strong> from the palette onto the canvas, then drop subnets into it and servers into the subnets. Addresses are proposed as you go.</p>
        <div className="button-row">
          <button type="button" className="button primary" data-testid="empty-templates" onClick={() => run('file.templates')}>
            Start from a template
          </button>
          <button type="button" className="button" data-testid="empty-open" onClick={() => run('file.open')}>
            Open a design
          </button>
        </div>
        {recent.length > 0 ? (
          <div className="recent-list" data-testid="empty-recent">
            <span className="muted">Recent:</span>
            {recent.map((name) => (
              <button key={name} type="button" className="link-button" onClick={() => void session.open(name)}>
                {name.replace(/\.topolab\.json$/, '')}
              </button>
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}
