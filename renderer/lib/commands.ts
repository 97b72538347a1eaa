import type { ReactFlowInstance } from '@xyflow/react';
import { alignNodes, type Alignment } from '../actions/align.js';
import { copyFragment, pasteFragment, type Fragment } from '../actions/clipboard.js';
import { disconnect } from '../actions/connect.js';
import { deleteNodes, setLayout } from '../actions/edit.js';
import { GRID } from '../actions/geometry.js';
import type { TopologyFlowEdge, TopologyFlowNode } from '../canvas/flow.js';
import { trackViewMove } from '../canvas/view-moves.js';
import type { Services } from './context.js';
import { diagramSvg, download, svgToPng } from './diagram.js';

export { formatShortcut, matchesShortcut } from './shortcuts.js';

/** What a command runs against. */
export interface CommandContext extends Services {
  flow: ReactFlowInstance<TopologyFlowNode, TopologyFlowEdge> | null;
}

/** One user command, shared by the toolbar, the keyboard, menus and the help sheet. */
export interface Command {
  id: string;
  label: string;
  /** Shortcut as shown and matched: `Mod` is Ctrl (Cmd on macOS). */
  keys?: string[];
  group: 'File' | 'Edit' | 'View' | 'Arrange' | 'Tools';
  run(ctx: CommandContext): void | Promise<void>;
  enabled?(ctx: CommandContext): boolean;
}

let clipboard: Fragment | null = null;

const hasSelection = (ctx: CommandContext): boolean => ctx.editor.state.selection.length > 0 || ctx.editor.state.selectedEdges.length > 0;

function align(alignment: Alignment, label: string, keys?: string[]): Command {
  return {
    id: `arrange.align-${alignment}`,
    label,
    group: 'Arrange',
    ...(keys ? { keys } : {}),
    enabled: (ctx) => ctx.editor.state.selection.length > 1,
    run: (ctx) => {
      const ids = ctx.editor.state.selection;
      ctx.editor.apply(label, (d) => alignNodes(d, { ids, alignment }));
    },
  };
}

/** Moves the selected nodes one grid step; repeated presses are one undo step. */
function nudge(direction: string, dx: number, dy: number, key: string): Command {
  const step = (ctx: CommandContext): void => {
    const ids = ctx.editor.state.selection;
    const doc = ctx.editor.doc;
    const entries: Record<string, { x: number; y: number }> = {};
    for (const id of ids) {
      const entry = doc.layout[id] ?? { x: 0, y: 0 };
      entries[id] = { x: entry.x + dx * GRID, y: entry.y + dy * GRID };
    }
    ctx.editor.apply(`Move ${ids.length === 1 ? ids[0] : `${ids.length} nodes`}`, (d) => setLayout(d, { entries }), { coalesce: `nudge:${ids.join(',')}` });
  };
  return {
    id: `arrange.nudge-${direction}`,
    label: `Nudge ${direction}`,
    group: 'Arrange',
    keys: [key],
    enabled: (ctx) => ctx.editor.state.selection.length > 0,
    run: step,
  };
}

async function saveOrAsk(ctx: CommandContext): Promise<void> {
  if (!ctx.editor.state.file.name) {
    ctx.editor.openDialog('save-as');
    return;
  }
  await ctx.session.save();
}

/** Every command of the app, in menu order. */
export const COMMANDS: Command[] = [
  { id: 'file.new', label: 'New design', group: 'File', keys: ['Alt+N'], run: (ctx) => (ctx.editor.dirty ? ctx.editor.openDialog('confirm-new') : ctx.session.newDesign()) },
  { id: 'file.open', label: 'Open…', group: 'File', keys: ['Mod+O'], run: (ctx) => ctx.editor.openDialog('open') },
  { id: 'file.import', label: 'Import…', group: 'File', keys: ['Mod+I'], run: (ctx) => ctx.editor.openDialog('import') },
  { id: 'file.save', label: 'Save', group: 'File', keys: ['Mod+S'], run: saveOrAsk },
  { id: 'file.save-as', label: 'Save as…', group: 'File', keys: ['Mod+Shift+S'], run: (ctx) => ctx.editor.openDialog('save-as') },
  { id: 'file.templates', label: 'Templates…', group: 'File', run: (ctx) => ctx.editor.openDialog('templates') },
  { id: 'edit.undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], enabled: (ctx) => ctx.editor.canUndo(), run: (ctx) => ctx.editor.undo() },
  { id: 'edit.redo', label: 'Redo', group: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'], enabled: (ctx) => ctx.editor.canRedo(), run: (ctx) => ctx.editor.redo() },
  {
    id: 'edit.copy',
    label: 'Copy',
    group: 'Edit',
    keys: ['Mod+C'],
    enabled: (ctx) => ctx.editor.state.selection.length > 0,
    run: (ctx) => {
      clipboard = copyFragment(ctx.editor.doc, ctx.editor.state.selection);
      ctx.editor.toast('info', `Copied ${clipboard.nodes.length} node${clipboard.nodes.length === 1 ? '' : 's'}`);
    },
  },
  {
    id: 'edit.paste',
    label: 'Paste',
    group: 'Edit',
    keys: ['Mod+V'],
    enabled: () => clipboard !== null,
    run: (ctx) => {
      const fragment = clipboard;
      if (!fragment) return;
      let pasted: string[] = [];
      ctx.editor.apply('Paste', (d) => {
        const result = pasteFragment(d, { fragment });
        pasted = result.pasted;
        return result.doc;
      });
      ctx.editor.select(pasted);
    },
  },
  {
    id: 'edit.duplicate',
    label: 'Duplicate',
    group: 'Edit',
    keys: ['Mod+D'],
    enabled: (ctx) => ctx.editor.state.selection.length > 0,
    run: (ctx) => {
      const fragment = copyFragment(ctx.editor.doc, ctx.editor.state.selection);
      let pasted: string[] = [];
      ctx.editor.apply('Duplicate', (d) => {
        const result = pasteFragment(d, { fragment });
        pasted = result.pasted;
        return result.doc;
      });
      ctx.editor.select(pasted);
    },
  },
  {
    id: 'edit.delete',
    label: 'Delete',
    group: 'Edit',
    keys: ['Delete', 'Backspace'],
    enabled: hasSelection,
    run: (ctx) => {
      const { selection, selectedEdges } = ctx.editor.state;
      const label = selection.length + selectedEdges.length === 1 ? `Delete ${selection[0] ?? 'connection'}` : `Delete ${selection.length + selectedEdges.length} items`;
      ctx.editor.apply(label, (d) => {
        let next = d;
        for (const edgeId of selectedEdges) next = disconnect(next, { edgeId });
        return deleteNodes(next, { ids: selection });
      });
      ctx.editor.select([]);
    },
  },
  {
    id: 'edit.select-all',
    label: 'Select all',
    group: 'Edit',
    keys: ['Mod+A'],
    run: (ctx) => ctx.editor.select(ctx.editor.doc.nodes.map((n) => n.id)),
  },
  { id: 'edit.escape', label: 'Clear selection / leave tool', group: 'Edit', keys: ['Escape'], run: (ctx) => (ctx.editor.state.traceTool.active ? ctx.editor.setTraceTool({ active: false }) : ctx.editor.select([])) },
  { id: 'view.fit', label: 'Zoom to fit', group: 'View', keys: ['Shift+1', 'F'], run: (ctx) => trackViewMove(ctx.flow?.fitView({ duration: 250, padding: 0.15, maxZoom: 1 })) },
  { id: 'view.zoom-in', label: 'Zoom in', group: 'View', keys: ['+', '='], run: (ctx) => trackViewMove(ctx.flow?.zoomIn({ duration: 150 })) },
  { id: 'view.zoom-out', label: 'Zoom out', group: 'View', keys: ['-'], run: (ctx) => trackViewMove(ctx.flow?.zoomOut({ duration: 150 })) },
  { id: 'view.snap', label: 'Snap to grid', group: 'View', keys: ['G'], run: (ctx) => ctx.editor.updateSettings({ snapToGrid: !ctx.editor.state.settings.snapToGrid }) },
  { id: 'view.minimap', label: 'Minimap', group: 'View', keys: ['M'], run: (ctx) => ctx.editor.updateSettings({ minimap: !ctx.editor.state.settings.minimap }) },
  { id: 'view.diagnostics', label: 'Diagnostics panel', group: 'View', run: (ctx) => ctx.editor.updateSettings({ diagnostics: !ctx.editor.state.settings.diagnostics }) },
  { id: 'view.theme', label: 'Dark / light theme', group: 'View', keys: ['Shift+D'], run: (ctx) => ctx.editor.updateSettings({ theme: ctx.editor.state.settings.theme === 'dark' ? 'light' : 'dark' }) },
  { id: 'view.help', label: 'Keyboard shortcuts', group: 'View', keys: ['?', 'Shift+/'], run: (ctx) => ctx.editor.openDialog('help') },
  {
    id: 'arrange.auto-layout',
    label: 'Auto-layout',
    group: 'Arrange',
    keys: ['Shift+L'],
    run: async (ctx) => {
      const doc = ctx.editor.doc;
      // ELK is large: loaded on first use, not at start-up.
      const { autoLayout } = await import('./autolayout.js');
      const entries = await autoLayout(doc);
      if (ctx.editor.doc !== doc) return; // edited meanwhile: a stale layout would undo the edit
      ctx.editor.apply('Auto-layout', (d) => setLayout(d, { entries }));
      ctx.editor.fitDesign();
    },
  },
  nudge('left', -1, 0, 'ArrowLeft'),
  nudge('right', 1, 0, 'ArrowRight'),
  nudge('up', 0, -1, 'ArrowUp'),
  nudge('down', 0, 1, 'ArrowDown'),
  align('left', 'Align left'),
  align('center', 'Align centres'),
  align('right', 'Align right'),
  align('top', 'Align top'),
  align('middle', 'Align middles'),
  align('bottom', 'Align bottom'),
  align('distribute-h', 'Distribute horizontally'),
  align('distribute-v', 'Distribute vertically'),
  { id: 'tools.trace', label: 'Reachability', group: 'Tools', keys: ['T'], run: (ctx) => ctx.editor.setTraceTool({ active: !ctx.editor.state.traceTool.active }) },
  { id: 'tools.planner', label: 'Subnet planner…', group: 'Tools', keys: ['P'], run: (ctx) => ctx.editor.openDialog('planner') },
  { id: 'tools.export', label: 'Export…', group: 'Tools', keys: ['Mod+E'], run: (ctx) => ctx.editor.openDialog('export') },
  {
    id: 'tools.export-svg',
    label: 'Export diagram as SVG',
    group: 'Tools',
    run: (ctx) => download(`${fileStem(ctx)}.svg`, diagramSvg(ctx.editor.doc, { dark: ctx.editor.state.settings.theme === 'dark' }), 'image/svg+xml'),
  },
  {
    id: 'tools.export-png',
    label: 'Export diagram as PNG',
    group: 'Tools',
    run: async (ctx) => download(`${fileStem(ctx)}.png`, await svgToPng(diagramSvg(ctx.editor.doc, { dark: ctx.editor.state.settings.theme === 'dark' }))),
  },
];

/** The base name for exported files: the design's file name without extension, or its name. */
export function fileStem(ctx: Pick<CommandContext, 'editor'>): string {
  const name = ctx.editor.state.file.name;
  if (name) return name.replace(/\.topolab\.json$/, '').split('/').pop() ?? 'design';
  return (ctx.editor.doc.name || 'design').replace(/[^A-Za-z0-9._-]+/g, '-').toLowerCase();
}

/** A command by id; throws for an unknown id (a wiring bug, not user input). */
export function commandById(id: string): Command {
  const command = COMMANDS.find((c) => c.id === id);
  if (!command) throw new Error(`unknown command ${id}`);
  return command;
}

/** Runs a command if enabled; errors become toasts (a command never crashes the app). */
export function runCommand(ctx: CommandContext, id: string): void {
  const command = commandById(id);
  if (command.enabled && !command.enabled(ctx)) return;
  Promise.resolve()
    .then(() => command.run(ctx))
    .catch((error: unknown) => ctx.editor.toast('error', `${command.label} failed: ${error instanceof Error ? error.message : String(error)}`));
}
