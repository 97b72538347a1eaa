import { useMemo, useState } from 'react';
import { diagnosticLocation, type Diagnostic, type Severity } from '../../core/validate/index.js';
import { setNodeField } from '../actions/edit.js';
import { useServices } from '../lib/context.js';
import { useStore } from '../store/useStore.js';

const ORDER: Severity[] = ['error', 'warning', 'info'];
/** Diagnostics listed per group before "show more". */
const PAGE = 200;
const TITLES: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Notes' };

/** Every problem the core finds, grouped by severity; a click selects and centres its nodes. */
export function DiagnosticsPanel() {
  const { editor, diagnostics } = useServices();
  const list = useStore(diagnostics.store, (s) => s.diagnostics);
  const pending = useStore(diagnostics.store, (s) => s.pending);
  const crash = useStore(diagnostics.store, (s) => s.error);
  const [collapsed, setCollapsed] = useState<Partial<Record<Severity, boolean>>>({});
  // A broken 100,000-subnet plan has as many diagnostics: list a page, not all of them.
  const [limit, setLimit] = useState(PAGE);
  const groups = useMemo(() => ORDER.map((severity) => ({ severity, items: list.filter((d) => d.severity === severity) })), [list]);
  /** Centres on every node of a diagnostic and selects the first (the one to fix). */
  const reveal = (d: Diagnostic) => {
    const ids = d.nodeIds.filter((id) => editor.doc.nodes.some((n) => n.id === id));
    editor.focusOn(ids, ids.slice(0, 1));
  };
  const applyFix = (d: Diagnostic) => {
    const fix = d.fix;
    if (!fix) return;
    editor.apply(fix.title, (doc) => setNodeField(doc, { id: fix.nodeId, field: fix.field, value: fix.value }));
  };
  return (
    <section className="diagnostics" data-testid="diagnostics" aria-label="Diagnostics" data-pending={pending ? 'true' : 'false'}>
      <header className="panel-header">
        <h2>Diagnostics</h2>
        <span className="diag-summary" data-testid="diagnostics-summary">
          {groups.map((g) => (
            <span key={g.severity} className={`count count-${g.severity}`} data-testid={`count-${g.severity}`}>
              {g.items.length}
            </span>
          ))}
          {pending ? <span className="spinner" aria-label="checking" /> : null}
        </span>
      </header>
      {crash ? <p className="diag-crash">The validator failed: {crash}</p> : null}
      {list.length === 0 && !pending ? (
        <div className="empty-state small" data-testid="diagnostics-empty">
          <strong>No problems found</strong>
          <span>The address plan, routing and filters check out.</span>
        </div>
      ) : null}
      <div className="diag-groups">
        {groups.map((group) =>
          group.items.length === 0 ? null : (
            <div key={group.severity} className={`diag-group diag-${group.severity}`} data-testid={`diagnostics-${group.severity}`}>
              <button type="button" className="diag-group-title" onClick={() => setCollapsed((c) => ({ ...c, [group.severity]: !c[group.severity] }))}>
                <span className={`chevron${collapsed[group.severity] ? '' : ' open'}`}>▸</span>
                {TITLES[group.severity]} <span className="muted">({group.items.length})</span>
              </button>
              {collapsed[group.severity]
                ? null
                : group.items.slice(0, limit).map((d, i) => (
                    <div
                      key={`${d.code}-${i}-${d.nodeIds.join(',')}`}
                      className="diag-item"
                      role="button"
                      tabIndex={0}
                      data-testid="diagnostic"
                      data-code={d.code}
                      data-nodes={d.nodeIds.join(' ')}
                      onClick={() => reveal(d)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') reveal(d);
                      }}
                    >
                      <span className={`sev-dot sev-${d.severity}`} />
                      <span className="diag-text">
                        <span className="diag-message">{d.message}</span>
                        <span className="diag-meta">
                          <code>{d.code}</code>
                          {d.path ? <span> · {diagnosticLocation(d)}</span> : null}
                        </span>
                      </span>
                      {d.fix ? (
                        <button
                          type="button"
                          className="button small"
                          data-testid="diagnostic-fix"
                          onClick={(e) => {
                            e.stopPropagation();
                            applyFix(d);
                          }}
                        >
                          {d.fix.title}
                        </button>
                      ) : null}
                    </div>
                  ))}
              {!collapsed[group.severity] && group.items.length > limit ? (
                <button type="button" className="link-button show-more" data-testid={`show-more-${group.severity}`} onClick={() => setLimit((l) => l + PAGE)}>
                  Show {Math.min(PAGE, group.items.length - limit)} more of {group.items.length - limit}
                </button>
              ) : null}
            </div>
          ),
        )}
      </div>
    </section>
  );
}
