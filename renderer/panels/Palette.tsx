import { memo, type DragEvent } from 'react';
import { KIND_LABELS, NODE_KINDS, type NodeKind } from '../../core/model/index.js';
import { PALETTE_MIME } from '../canvas/Canvas.js';
import { KindIcon } from '../canvas/icons.js';
import { PALETTE_GROUPS, RENDERER_KINDS } from '../kinds/index.js';
import { useEditor } from '../lib/context.js';
import { useStore } from '../store/useStore.js';

/** The palette's sections, each kind in its place (renderer/kinds/<kind>.tsx). */
const GROUPS = PALETTE_GROUPS.map((title) => ({
  title,
  kinds: NODE_KINDS.filter((kind) => RENDERER_KINDS[kind].palette.group === title).sort((a, b) => RENDERER_KINDS[a].palette.rank - RENDERER_KINDS[b].palette.rank),
}));

const PaletteItem = memo(function PaletteItem({ kind }: { kind: NodeKind }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PALETTE_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <div className={`palette-item kind-${kind}`} draggable onDragStart={onDragStart} data-testid={`palette-${kind}`} title={RENDERER_KINDS[kind].palette.hint} role="listitem">
      <span className="palette-icon">
        <KindIcon kind={kind} size={20} />
      </span>
      <span className="palette-label">{KIND_LABELS[kind]}</span>
    </div>
  );
});

const PREFIXES = [16, 18, 20, 22, 24, 25, 26, 27, 28];

/** The palette: every node kind with its icon, dragged onto the canvas to create it. */
export function Palette() {
  const editor = useEditor();
  const prefix = useStore(editor.store, (s) => s.settings.subnetPrefix);
  return (
    <aside className="palette" data-testid="palette" aria-label="Palette">
      {GROUPS.map((group) => (
        <section key={group.title} className="palette-group">
          <h3>{group.title}</h3>
          <div role="list">
            {group.kinds.map((kind) => (
              <PaletteItem key={kind} kind={kind} />
            ))}
          </div>
        </section>
      ))}
      <label className="palette-setting">
        New subnet size
        <select data-testid="subnet-prefix" value={prefix} onChange={(e) => editor.updateSettings({ subnetPrefix: Number(e.target.value) })}>
          {PREFIXES.map((p) => (
            <option key={p} value={p}>
              /{p} ({2 ** (32 - p)} addresses)
            </option>
          ))}
        </select>
      </label>
      <p className="palette-tip">Drag onto the canvas. Connect nodes by dragging from a handle ● to another node.</p>
    </aside>
  );
}
