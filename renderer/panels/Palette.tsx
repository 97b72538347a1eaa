import { memo, type DragEvent } from 'react';
import { KIND_LABELS, NODE_KINDS, type NodeKind } from '../../core/model/index.js';
import { PALETTE_MIME } from '../canvas/Canvas.js';
import { KindIcon } from '../canvas/icons.js';
import { PALETTE_GROUPS, RENDERER_KINDS } from '../kinds/index.js';
import { PANEL_LIMITS } from '../layout/panels.js';
import { Splitter } from '../layout/Splitter.js';
import { useEditor } from '../lib/context.js';
import { useStore } from '../store/useStore.js';

/** The palette's sections, each kind in its place (renderer/kinds/<kind>.tsx). */
const GROUPS = PALETTE_GROUPS.map((title) => ({
  title,
  kinds: NODE_KINDS.filter((kind) => RENDERER_KINDS[kind].palette.group === title).sort((a, b) => RENDERER_KINDS[a].palette.rank - RENDERER_KINDS[b].palette.rank),
}));

const PaletteItem = memo(function PaletteItem({ kind, rail }: { kind: NodeKind; rail: boolean }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PALETTE_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  // On the rail only the icon shows: the name leads the tooltip.
  const hint = RENDERER_KINDS[kind].palette.hint;
  return (
    <div className={`palette-item kind-${kind}`} draggable onDragStart={onDragStart} data-testid={`palette-${kind}`} title={rail ? `${KIND_LABELS[kind]}: ${hint}` : hint} role="listitem">
      <span className="palette-icon">
        <KindIcon kind={kind} size={20} />
      </span>
      <span className="palette-label">{KIND_LABELS[kind]}</span>
    </div>
  );
});

const PREFIXES = [16, 18, 20, 22, 24, 25, 26, 27, 28];

/**
 * The palette: every node kind with its icon, dragged onto the canvas to create it.
 * Resizable by its right edge; folded, a rail of icons that still drag.
 */
export function Palette({ width, collapsed, maxWidth }: { width: number; collapsed: boolean; maxWidth: number }) {
  const editor = useEditor();
  const prefix = useStore(editor.store, (s) => s.settings.subnetPrefix);
  const folded = useStore(editor.store, (s) => s.settings.panels.paletteCollapsed);
  const toggle = (
    <button
      type="button"
      className="icon-button palette-toggle"
      data-testid="palette-toggle"
      aria-expanded={!collapsed}
      title={collapsed ? (folded ? 'Show the palette' : 'The window is too narrow for the palette: widen it, or fold the inspector') : 'Fold the palette to icons'}
      onClick={() => editor.updatePanels(collapsed ? { paletteCollapsed: false, ...(folded ? {} : { sidebarCollapsed: true }) } : { paletteCollapsed: true })}
    >
      {collapsed ? '›' : '‹'}
      <span className="sr-only">{collapsed ? 'Show the palette' : 'Fold the palette'}</span>
    </button>
  );
  return (
    <aside className={`palette${collapsed ? ' is-rail' : ''}`} data-testid="palette" data-collapsed={collapsed} aria-label="Palette" style={{ width }}>
      <div className="palette-bar">
        {collapsed ? null : <span className="palette-title">Palette</span>}
        {toggle}
      </div>
      <div className="palette-scroll">
        {GROUPS.map((group) => (
          <section key={group.title} className="palette-group">
            <h3>{collapsed ? <span className="sr-only">{group.title}</span> : group.title}</h3>
            <div role="list">
              {group.kinds.map((kind) => (
                <PaletteItem key={kind} kind={kind} rail={collapsed} />
              ))}
            </div>
          </section>
        ))}
        {collapsed ? null : <PaletteSettings prefix={prefix} onPrefix={(subnetPrefix) => editor.updateSettings({ subnetPrefix })} />}
      </div>
      {collapsed ? null : (
        <Splitter
          label="Resize the palette"
          testId="palette-splitter"
          orientation="vertical"
          value={width}
          min={PANEL_LIMITS.palette.min}
          max={Math.max(PANEL_LIMITS.palette.min, maxWidth)}
          grow={1}
          className="splitter-right"
          onChange={(paletteWidth) => editor.updatePanels({ paletteWidth })}
        />
      )}
    </aside>
  );
}

/** The size of new subnets, and how to use the palette. */
function PaletteSettings({ prefix, onPrefix }: { prefix: number; onPrefix: (prefix: number) => void }) {
  return (
    <>
      <label className="palette-setting">
        New subnet size
        <select data-testid="subnet-prefix" value={prefix} onChange={(e) => onPrefix(Number(e.target.value))}>
          {PREFIXES.map((p) => (
            <option key={p} value={p}>
              /{p} ({2 ** (32 - p)} addresses)
            </option>
          ))}
        </select>
      </label>
      <p className="palette-tip">Drag onto the canvas. Connect nodes by dragging from a handle ● to another node.</p>
    </>
  );
}
