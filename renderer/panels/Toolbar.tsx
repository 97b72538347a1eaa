import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { COMMANDS, formatShortcut } from '../lib/commands.js';
import { useServices } from '../lib/context.js';
import { useCommandContext, useCommandRunner } from '../lib/useCommands.js';
import { isDirty } from '../store/editor.js';
import { useStore } from '../store/useStore.js';
import { Menu, type MenuItem } from './Menu.js';

/** Small line icons for the toolbar (inline SVG, `currentColor`). */
const ICONS: Record<string, ReactNode> = {
  new: <path d="M6 3.5h8l4 4v13H6zM14 3.5v4h4M12 11v6M9 14h6" />,
  open: <path d="M3.5 7V5.5h6l2 2h9v11h-17zM3.5 9.5h17" />,
  save: <path d="M5 4h11l3 3v13H5zM8 4v5h7V4M8 20v-6h8v6" />,
  undo: <path d="M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3" />,
  redo: <path d="m15 14 5-5-5-5M20 9H10a6 6 0 0 0 0 12h3" />,
  trace: <path d="M5 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM19 9a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM7 17l3-3M12 12l2-2M14 10l3-3" />,
  plan: <path d="M4 4h16v16H4zM4 10h16M10 10v10M15 10v10" />,
  export: <path d="M12 15V3.5M7.5 8 12 3.5 16.5 8M4.5 14v6h15v-6" />,
  layout: <path d="M4 4h6v6H4zM14 4h6v6h-6zM9 14h6v6H9zM7 10v2h10v-2M12 12v2" />,
  help: <path d="M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6M12 17h.01" />,
  sun: <path d="M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM12 1.5v2M12 20.5v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1.5 12h2M20.5 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4" />,
  moon: <path d="M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5z" />,
  templates: <path d="M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z" />,
  more: <path d="M5 12h.01M12 12h.01M19 12h.01" strokeWidth="3" />,
};

function Icon({ name }: { name: string }) {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {ICONS[name]}
    </svg>
  );
}

function shortcutOf(id: string): string {
  const keys = COMMANDS.find((c) => c.id === id)?.keys;
  return keys?.[0] ? formatShortcut(keys[0]) : '';
}

function ToolButton({ id, icon, label, run, disabled, active, compact }: { id: string; icon: string; label: string; run: (id: string) => void; disabled?: boolean; active?: boolean; compact?: boolean }) {
  const hint = shortcutOf(id);
  return (
    <button
      type="button"
      className={`tool-button${active ? ' is-active' : ''}${compact ? ' compact' : ''}`}
      data-testid={`cmd-${id}`}
      disabled={disabled}
      aria-pressed={active}
      title={hint ? `${label} (${hint})` : label}
      onClick={() => run(id)}
    >
      <Icon name={icon} />
      {compact ? <span className="sr-only">{label}</span> : <span>{label}</span>}
    </button>
  );
}

/**
 * How far the toolbar is folded to fit its width, from 0 (everything with its label) to
 * `FOLDS`: 1 the tools lose their labels, 2 the brand name and the Arrange label go,
 * 3 the tools and the view buttons move into the "More" menu, 4 so do undo, redo and
 * Arrange. The file name shrinks first (truncated, with the full name as its tooltip).
 */
const FOLDS = 4;

/**
 * The fold level at which the toolbar's content fits its width: measured, not guessed from
 * breakpoints (fonts differ between machines). Starts unfolded whenever the width or the
 * content changes, and folds one step per layout pass (before paint) while it overflows.
 */
function useFoldLevel(ref: RefObject<HTMLElement | null>, contentKey: string): number {
  const [level, setLevel] = useState(0);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  useLayoutEffect(() => setLevel(0), [width, contentKey]);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && level < FOLDS && el.scrollWidth > el.clientWidth + 1) setLevel(level + 1);
  });
  return level;
}

/** The top bar: file commands and name, undo/redo, arrange, tools, view; folds to fit (see `useFoldLevel`). */
export function Toolbar() {
  const { editor, session } = useServices();
  const run = useCommandRunner();
  const ctx = useCommandContext();
  const name = useStore(editor.store, (s) => s.file.name);
  const docName = useStore(editor.store, (s) => s.history.present.doc.name);
  const dirty = useStore(editor.store, isDirty);
  const undoLabel = useStore(editor.store, (s) => (s.history.past.length > 0 ? s.history.present.label : null));
  const redoLabel = useStore(editor.store, (s) => s.history.future[0]?.label ?? null);
  const theme = useStore(editor.store, (s) => s.settings.theme);
  const tracing = useStore(editor.store, (s) => s.traceTool.active);
  const selectionCount = useStore(editor.store, (s) => s.selection.length);
  const busy = useStore(session.store, (s) => s.busy);
  const bar = useRef<HTMLElement>(null);
  const shownName = name ?? docName ?? 'Untitled';
  const level = useFoldLevel(bar, `${shownName}|${dirty}|${selectionCount > 1 ? selectionCount : 0}|${undoLabel !== null}|${redoLabel !== null}`);
  const item = (id: string, extra: Partial<MenuItem> = {}): MenuItem => {
    const command = COMMANDS.find((c) => c.id === id);
    const hint = shortcutOf(id);
    return {
      id,
      label: command?.label ?? id,
      ...(hint ? { hint } : {}),
      disabled: command?.enabled ? !command.enabled(ctx) : false,
      onSelect: () => run(id),
      ...extra,
    };
  };
  const arrangeItems = [
    item('arrange.auto-layout'),
    ...['left', 'center', 'right', 'top', 'middle', 'bottom', 'distribute-h', 'distribute-v'].map((a) => item(`arrange.align-${a}`)),
    item('edit.duplicate'),
    item('edit.delete'),
  ];
  const toolItems = [item('tools.trace', { checked: tracing }), item('tools.planner'), item('tools.export')];
  const viewItems = [item('file.templates'), item('view.theme'), item('view.help')];
  const moreItems = [...(level >= 4 ? [item('edit.undo'), item('edit.redo'), ...arrangeItems] : []), ...(level >= 3 ? [...toolItems, ...viewItems] : [])];
  return (
    <header className="toolbar" data-testid="toolbar" data-fold={level} ref={bar}>
      <div className="brand" title="Topolab">
        <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="6" cy="6" r="3" fill="var(--accent)" />
          <circle cx="18" cy="6" r="3" fill="var(--accent-2)" />
          <circle cx="12" cy="18" r="3" fill="var(--accent)" />
          <path d="M6 6 18 6 12 18z" fill="none" stroke="var(--accent)" strokeWidth="1.5" />
        </svg>
        <span className={level >= 2 ? 'sr-only' : undefined}>Topolab</span>
      </div>
      <div className="tool-group">
        <ToolButton id="file.new" icon="new" label="New" run={run} compact />
        <ToolButton id="file.open" icon="open" label="Open" run={run} compact />
        <ToolButton id="file.save" icon="save" label="Save" run={run} compact disabled={busy} />
        <Menu label="File" testId="menu-file" items={[item('file.import'), item('file.save-as'), item('file.templates'), item('tools.export-svg'), item('tools.export-png')]} />
      </div>
      <div className="file-title" data-testid="file-title" title={name ? `${name}${dirty ? ' (unsaved changes)' : ''}` : `${shownName} (not saved yet)`}>
        <span className="file-name" data-testid="file-name">
          {shownName}
        </span>
        {dirty ? (
          <span className="dirty-dot" data-testid="dirty-indicator" title="Unsaved changes">
            ●
          </span>
        ) : (
          <span className="saved-mark" data-testid="saved-indicator">
            {name ? 'saved' : ''}
          </span>
        )}
      </div>
      {level < 4 ? (
        <div className="tool-group">
          <button type="button" className="tool-button compact" data-testid="cmd-edit.undo" disabled={undoLabel === null} title={undoLabel ? `Undo ${undoLabel} (${shortcutOf('edit.undo')})` : 'Nothing to undo'} onClick={() => run('edit.undo')}>
            <Icon name="undo" />
            <span className="sr-only">Undo</span>
          </button>
          <button type="button" className="tool-button compact" data-testid="cmd-edit.redo" disabled={redoLabel === null} title={redoLabel ? `Redo ${redoLabel} (${shortcutOf('edit.redo')})` : 'Nothing to redo'} onClick={() => run('edit.redo')}>
            <Icon name="redo" />
            <span className="sr-only">Redo</span>
          </button>
          <Menu label="Arrange" testId="menu-arrange" icon={<Icon name="layout" />} compact={level >= 2} items={arrangeItems} />
          {selectionCount > 1 ? <span className="selection-count" data-testid="selection-count">{selectionCount} selected</span> : null}
        </div>
      ) : null}
      {level < 3 ? (
        <>
          <div className="tool-group">
            <ToolButton id="tools.trace" icon="trace" label="Reachability" run={run} active={tracing} compact={level >= 1} />
            <ToolButton id="tools.planner" icon="plan" label="Plan subnets" run={run} compact={level >= 1} />
            <ToolButton id="tools.export" icon="export" label="Export" run={run} compact={level >= 1} />
          </div>
          <div className="tool-group end">
            <ToolButton id="file.templates" icon="templates" label="Templates" run={run} compact />
            <ToolButton id="view.theme" icon={theme === 'dark' ? 'sun' : 'moon'} label="Toggle theme" run={run} compact />
            <ToolButton id="view.help" icon="help" label="Shortcuts" run={run} compact />
          </div>
        </>
      ) : (
        <div className="tool-group end">
          <Menu label="More" testId="menu-more" icon={<Icon name="more" />} compact items={moreItems} align="right" />
        </div>
      )}
    </header>
  );
}
