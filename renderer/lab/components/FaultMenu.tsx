import { useEffect, useState } from 'react';
import type { Topology } from '../../../core/model/index.js';
import { useEditor } from '../../lib/context.js';
import { failureText } from '../controller.js';
import { useLab, useLabController } from '../context.js';
import { faultItems, type FaultItem } from '../faults.js';

interface OpenMenu {
  nodeId: string;
  x: number;
  y: number;
}

/** The canvas node id under a DOM event (React Flow marks node wrappers with data-id). */
function nodeIdAt(target: EventTarget | null): string | null {
  if (!(target instanceof Element)) return null;
  return target.closest('.react-flow__node[data-id]')?.getAttribute('data-id') ?? null;
}

/**
 * The faults context menu on running nodes. While the lab runs, a right-click on a node
 * that has faults opens it (it listens on the document, so the canvas needs no change);
 * otherwise the event goes on to the canvas's own menu.
 */
export function FaultMenu({ doc }: { doc: Topology }) {
  const controller = useLabController();
  const editor = useEditor();
  const running = useLab((s) => s.phase === 'running');
  // The items follow node states, groups and dropped routes (not every metrics tick).
  useLab((s) => s.nodes);
  useLab((s) => s.groups);
  useLab((s) => s.droppedRoutes);
  const [menu, setMenu] = useState<OpenMenu | null>(null);
  const [asking, setAsking] = useState<{ item: FaultItem; value: number } | null>(null);

  useEffect(() => {
    if (!running) {
      setMenu(null);
      return;
    }
    const onContextMenu = (event: MouseEvent) => {
      const nodeId = nodeIdAt(event.target);
      if (!nodeId || faultItems(doc, controller.state, nodeId).length === 0) return;
      event.preventDefault();
      event.stopPropagation();
      setAsking(null);
      setMenu({ nodeId, x: event.clientX, y: event.clientY });
    };
    document.addEventListener('contextmenu', onContextMenu, true);
    return () => document.removeEventListener('contextmenu', onContextMenu, true);
  }, [running, doc, controller]);

  useEffect(() => {
    if (!menu) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event.target instanceof Element && event.target.closest('.lab-fault-menu')) return;
      setMenu(null);
    };
    document.addEventListener('mousedown', close, true);
    document.addEventListener('keydown', close, true);
    return () => {
      document.removeEventListener('mousedown', close, true);
      document.removeEventListener('keydown', close, true);
    };
  }, [menu]);

  if (!menu) return null;
  const items = faultItems(doc, controller.state, menu.nodeId);
  const apply = (item: FaultItem, value?: number) => {
    setMenu(null);
    setAsking(null);
    const fault = value === undefined ? item.fault : { ...item.fault, value: value * (item.ask?.scale ?? 1) };
    controller.inject(fault).then(
      (message) => editor.toast('success', message),
      (error: unknown) => editor.toast('error', failureText(error)),
    );
  };
  return (
    <div className="lab-fault-menu menu-list" role="menu" data-testid="fault-menu" style={{ position: 'fixed', left: menu.x, top: menu.y }}>
      <div className="lab-fault-title">Faults: {menu.nodeId}</div>
      {asking ? (
        <form
          className="lab-fault-ask"
          onSubmit={(e) => {
            e.preventDefault();
            apply(asking.item, asking.value);
          }}
        >
          <label>
            {asking.item.ask?.label} ({asking.item.ask?.unit})
            <input
              type="number"
              autoFocus
              data-testid="fault-value"
              min={asking.item.ask?.min}
              max={asking.item.ask?.max}
              value={asking.value}
              onChange={(e) => setAsking({ ...asking, value: Number(e.target.value) })}
            />
          </label>
          <button type="submit" className="button small primary" data-testid="fault-apply">
            Apply
          </button>
        </form>
      ) : (
        items.map((item) => (
          <button
            key={item.id}
            type="button"
            role="menuitem"
            className="menu-item"
            data-testid={`fault-${item.id}`}
            onClick={() => (item.ask ? setAsking({ item, value: item.ask.initial }) : apply(item))}
          >
            {item.label}
          </button>
        ))
      )}
    </div>
  );
}
