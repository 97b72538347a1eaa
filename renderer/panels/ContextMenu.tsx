import { useEffect, useRef } from 'react';
import { KIND_LABELS } from '../../core/model/index.js';
import { COMMANDS, formatShortcut } from '../lib/commands.js';
import { useServices } from '../lib/context.js';
import { useCommandContext, useCommandRunner } from '../lib/useCommands.js';

/** Where the context menu is open, and on what (a node, or the empty canvas). */
export interface ContextMenuState {
  x: number;
  y: number;
  nodeId?: string;
}

interface Item {
  id: string;
  label: string;
  hint?: string;
  disabled?: boolean;
  run: () => void;
}

/**
 * The canvas context menu: the same commands as the toolbar and the keyboard (by id from
 * the command table), plus the node-specific ones (trace from/to, zoom to it).
 */
export function ContextMenu({ menu, onClose }: { menu: ContextMenuState; onClose: () => void }) {
  const { editor } = useServices();
  const run = useCommandRunner();
  const ctx = useCommandContext();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event.target instanceof Node && ref.current?.contains(event.target)) return;
      onClose();
    };
    window.addEventListener('mousedown', close, true);
    window.addEventListener('keydown', close, true);
    window.addEventListener('wheel', close, true);
    return () => {
      window.removeEventListener('mousedown', close, true);
      window.removeEventListener('keydown', close, true);
      window.removeEventListener('wheel', close, true);
    };
  }, [onClose]);
  const command = (id: string, label?: string): Item => {
    const c = COMMANDS.find((x) => x.id === id);
    const key = c?.keys?.[0];
    return { id, label: label ?? c?.label ?? id, ...(key ? { hint: formatShortcut(key) } : {}), disabled: c?.enabled ? !c.enabled(ctx) : false, run: () => run(id) };
  };
  const node = menu.nodeId ? editor.doc.nodes.find((n) => n.id === menu.nodeId) : undefined;
  const items: Item[] = node
    ? [
        { id: 'trace-from', label: 'Trace from here', run: () => editor.setTraceTool({ active: true, source: node.id }) },
        {
          id: 'trace-to',
          label: 'Trace to here',
          disabled: !editor.state.traceTool.source,
          run: () => editor.setTraceTool({ active: true, ...(editor.state.traceTool.source ? { source: editor.state.traceTool.source } : {}), destination: node.id }),
        },
        { id: 'zoom-to', label: 'Zoom to it', run: () => editor.focusOn([node.id]) },
        command('edit.copy'),
        command('edit.duplicate'),
        ...(node.kind === 'vpc' ? [command('tools.planner', 'Plan subnets in this VPC…')] : []),
        command('edit.delete'),
      ]
    : [command('edit.paste'), command('edit.select-all'), command('arrange.auto-layout'), command('view.fit'), command('tools.planner')];
  return (
    <div className="menu-list context-menu" role="menu" ref={ref} style={{ left: menu.x, top: menu.y }} data-testid="context-menu">
      {node ? <div className="menu-title">{`${KIND_LABELS[node.kind]} ${node.name ?? node.id}`}</div> : null}
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          className="menu-item"
          disabled={item.disabled}
          data-testid={`context-${item.id}`}
          onClick={() => {
            onClose();
            item.run();
          }}
        >
          <span>{item.label}</span>
          {item.hint ? <kbd>{item.hint}</kbd> : null}
        </button>
      ))}
    </div>
  );
}
