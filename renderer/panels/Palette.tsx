import { memo, type DragEvent } from 'react';
import { KIND_LABELS, NODE_KINDS, type NodeKind } from '../../core/model/index.js';
import { PALETTE_MIME } from '../canvas/Canvas.js';
import { KindIcon } from '../canvas/icons.js';
import { useEditor } from '../lib/context.js';
import { useStore } from '../store/useStore.js';

const GROUPS: { title: string; kinds: NodeKind[] }[] = [
  { title: 'Network', kinds: ['vpc', 'subnet', 'route-table', 'internet-gateway', 'nat-gateway', 'peering'] },
  { title: 'Compute', kinds: ['server', 'autoscaling-group', 'client'] },
  { title: 'Traffic', kinds: ['load-balancer', 'reverse-proxy', 'forward-proxy', 'cache'] },
];

const HINTS: Record<NodeKind, string> = {
  vpc: 'An isolated network with its own CIDR',
  subnet: 'Drop into a VPC: gets the next free CIDR',
  'route-table': 'Drop into a VPC; connect it to subnets',
  'internet-gateway': 'Drop into a VPC; target it from a 0.0.0.0/0 route',
  'nat-gateway': 'Drop into a public subnet',
  peering: 'Connect two VPCs to peer them',
  server: 'Drop into a subnet: gets the next free address',
  'load-balancer': 'Drop into a subnet; connect it to its targets',
  'reverse-proxy': 'Drop into a subnet; connect it to upstreams',
  'forward-proxy': 'Egress proxy with allow and deny lists',
  cache: 'HTTP cache in front of an upstream',
  client: 'Traffic source: on the internet or in a subnet',
  'autoscaling-group': 'A group of identical servers in a subnet',
};

// The palette lists every kind exactly once.
if (GROUPS.flatMap((g) => g.kinds).length !== NODE_KINDS.length) throw new Error('palette groups must list every node kind');

const PaletteItem = memo(function PaletteItem({ kind }: { kind: NodeKind }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PALETTE_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <div className={`palette-item kind-${kind}`} draggable onDragStart={onDragStart} data-testid={`palette-${kind}`} title={HINTS[kind]} role="listitem">
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
