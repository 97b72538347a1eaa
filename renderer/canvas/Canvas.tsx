import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
} from '@xyflow/react';
import type { NodeKind, Topology } from '../../core/model/index.js';
import { connect, interpretConnection } from '../actions/connect.js';
import { moveNodes } from '../actions/edit.js';
import { absoluteRects, CONTAINER_HEADER, GRID, isContainerKind, type Rect } from '../actions/geometry.js';
import { addNode } from '../actions/place.js';
import { useServices } from '../lib/context.js';
import { ContextMenu, type ContextMenuState } from '../panels/ContextMenu.js';
import { useStore } from '../store/useStore.js';
import type { FocusRequest } from '../store/editor.js';
import { FlowNodeCache, toFlowEdges, toFlowNodes, type TopologyFlowEdge, type TopologyFlowNode } from './flow.js';
import { edgeDiagnostics, nodeUnderPointer } from './edge-diagnostics.js';
import { minimapRect, type MinimapCorner } from './minimap.js';
import { MiniMapSpot } from './MiniMapSpot.js';
import { edgeTypes, nodeTypes } from './nodes.js';
import { showViewMovesOn, trackViewMove } from './view-moves.js';
import { containsRect, intersects, legibleViewport, panIntoView, PATH_ZOOM, screenToFlowRect, unionRect, visibleRect, type Viewport } from './viewport.js';
import { ZoomMode } from './ZoomMode.js';
import { groupDropTarget } from './group-drop.js';
import { joinSecurityGroup } from '../actions/security-groups.js';

/** The MIME type the palette puts on a drag: the node kind. */
export const PALETTE_MIME = 'application/x-topolab-kind';

/** Designs above this many nodes render only what is in view. */
const LARGE_DESIGN = 200;

const proOptions = { hideAttribution: true };
const snapGrid: [number, number] = [GRID, GRID];
// Props React Flow copies into its store on change: kept at module scope so they never change identity.
const multiSelectionKeys = ['Meta', 'Control'];

const NO_NODES: TopologyFlowNode[] = [];
const NO_EDGES: TopologyFlowEdge[] = [];

/** Room kept around what a view must show, pixels: clear of the zoom controls in the bottom-left corner. */
const VIEW_PADDING = 56;

/**
 * The part of each node that must be in view to see it: a device whole, a container its
 * header (its title and handles; its inside is other nodes), so a path through a large
 * subnet can be shown at a legible zoom.
 */
function seenRects(doc: Topology): Map<string, Rect> {
  const rects = absoluteRects(doc);
  for (const node of doc.nodes) {
    const rect = rects.get(node.id);
    if (rect && isContainerKind(node.kind)) rects.set(node.id, { ...rect, height: Math.min(rect.height, CONTAINER_HEADER) });
  }
  return rects;
}

/**
 * The canvas: a React Flow view of the model. Nodes and edges are derived from the
 * document; drags and resizes are shown live in local state and committed to the model
 * as one action when they end; drops, connections and deletions go through actions.
 */
export function Canvas() {
  const { editor, diagnostics } = useServices();
  const flow = useReactFlow<TopologyFlowNode, TopologyFlowEdge>();
  const realDoc = useStore(editor.store, (s) => s.history.present.doc);
  const preview = useStore(editor.store, (s) => s.preview);
  // A preview (the planner's proposal) is drawn instead of the design, its new nodes as ghosts.
  const doc = preview?.doc ?? realDoc;
  const ghosts = useMemo(() => new Set(preview?.added ?? []), [preview]);
  const selectionList = useStore(editor.store, (s) => s.selection);
  const selectedEdges = useStore(editor.store, (s) => s.selectedEdges);
  const highlight = useStore(editor.store, (s) => s.highlight);
  const settings = useStore(editor.store, (s) => s.settings);
  const focus = useStore(editor.store, (s) => s.focus);
  const traceTool = useStore(editor.store, (s) => s.traceTool);
  const loads = useStore(editor.store, (s) => s.loads);
  const badges = useStore(diagnostics.store, (s) => s.byNode);
  const diagList = useStore(diagnostics.store, (s) => s.diagnostics);
  const cache = useRef(new FlowNodeCache());

  const selection = useMemo(() => new Set(selectionList), [selectionList]);
  const edgeSelection = useMemo(() => new Set(selectedEdges), [selectedEdges]);
  const derivedNodes = useMemo(() => toFlowNodes(doc, { badges, selection, highlight, cache: cache.current, ghosts }), [doc, badges, selection, highlight, ghosts]);
  const { edgeBadges, edgeReasons } = useMemo(() => edgeDiagnostics(diagList, doc), [diagList, doc]);
  const derivedEdges = useMemo(() => toFlowEdges(doc, { edgeBadges, edgeReasons, selection: edgeSelection, highlight }), [doc, edgeBadges, edgeReasons, edgeSelection, highlight]);

  // Live view state: the derived nodes plus in-flight drags and resizes.
  const [nodes, setNodes] = useState(derivedNodes);
  const [edges, setEdges] = useState(derivedEdges);
  useEffect(() => setNodes(derivedNodes), [derivedNodes]);
  useEffect(() => setEdges(derivedEdges), [derivedEdges]);

  // Each newly loaded design opens fitted, computed from the model's own sizes (no waiting
  // for React Flow to measure, which for 1,000 nodes means rendering them all twice), at a
  // legible zoom: a design too big for that opens on its top-left part. An empty canvas
  // keeps the identity viewport, so drops land under the pointer.
  const container = useRef<HTMLDivElement>(null);
  const fitted = useRef(-1);
  const size = useCallback(() => ({ width: container.current?.clientWidth ?? 0, height: container.current?.clientHeight ?? 0 }), []);
  const viewportFor = useCallback(
    (request: Pick<FocusRequest, 'ids' | 'anchor' | 'whole'>): Viewport | null => {
      const doc = editor.doc;
      const box = size();
      if (box.width === 0) return null;
      const rects = seenRects(doc);
      const pick = (ids: readonly string[]) => unionRect(ids.flatMap((id) => rects.get(id) ?? []));
      // A large design opens on its first top-level container (only what is in view is rendered).
      const first = request.ids === 'all' && doc.nodes.length > LARGE_DESIGN ? doc.nodes.find((n) => n.parent === undefined) : undefined;
      const target = first ? absoluteRects(doc).get(first.id) : request.ids === 'all' ? unionRect(absoluteRects(doc).values()) : pick(request.ids);
      if (!target) return null;
      const anchor = request.anchor ? pick(request.anchor) : null;
      return legibleViewport(target, box, { padding: VIEW_PADDING, maxZoom: request.ids === 'all' ? 1 : 1.25, ...(request.whole ? { minZoom: PATH_ZOOM } : {}), ...(anchor ? { anchor } : {}) });
    },
    [editor, size],
  );
  const [initialViewport] = useState(() => ({ x: 0, y: 0, zoom: 1 }));
  // React Flow can move the viewport only once its pan/zoom is set up (onInit).
  const [viewportReady, setViewportReady] = useState(false);
  // Nodes are handed to React Flow only after the first fit: rendering them at the default
  // viewport first would mount (and measure) a large design twice.
  const [fittedOnce, setFittedOnce] = useState(false);
  const onInit = useCallback(() => setViewportReady(true), []);
  useEffect(() => {
    if (!viewportReady || fitted.current === loads) return;
    fitted.current = loads;
    const viewport = viewportFor({ ids: 'all' });
    // Tracked too: it interrupts any move still under way (see view-moves.ts).
    if (viewport) trackViewMove(flow.setViewport(viewport));
    setFittedOnce(true);
  }, [viewportReady, loads, viewportFor, flow]);

  // Where the minimap is (it moves off nodes), so a revealed path can avoid it as well.
  const [minimapCorner, setMinimapCorner] = useState<MinimapCorner | null>(null);
  useEffect(() => {
    const el = container.current;
    if (el) el.dataset['minimap'] = settings.minimap ? (minimapCorner ?? 'hidden') : 'off';
  }, [minimapCorner, settings.minimap]);

  // The canvas shows the view moves under way (view-moves.ts) and the last focus request it
  // answered, so a test can wait until the view has done what was asked of it.
  useEffect(() => {
    showViewMovesOn(container.current);
    return () => showViewMovesOn(null);
  }, []);
  const markFocusDone = useCallback((nonce: number) => {
    if (container.current) container.current.dataset['focusDone'] = String(nonce);
  }, []);

  useEffect(() => {
    if (!focus) return;
    const doc = editor.doc;
    const box = size();
    if (focus.onlyIfHidden === 'outside') {
      // Pan just enough to bring the nodes into the canvas, at the same zoom.
      const target = unionRect((focus.ids === 'all' ? doc.nodes.map((n) => n.id) : focus.ids).flatMap((id) => seenRects(doc).get(id) ?? []));
      const current = flow.getViewport();
      const next = target ? panIntoView(current, target, box) : current;
      if (next.x !== current.x || next.y !== current.y) trackViewMove(flow.setViewport(next, { duration: 200 }));
      markFocusDone(focus.nonce);
      return;
    }
    if (focus.onlyIfHidden === 'covered') {
      // Already in view, clear of the zoom controls and the minimap: leave the view alone.
      const current = flow.getViewport();
      const clear = screenToFlowRect({ x: VIEW_PADDING, y: 8, width: box.width - VIEW_PADDING - 8, height: box.height - VIEW_PADDING - 8 }, current);
      const map = minimapCorner ? screenToFlowRect(minimapRect(minimapCorner, box.width, box.height), current) : null;
      // The whole design shown whole (an import): containers count whole too, not by their headers.
      const rects = focus.whole && focus.ids === 'all' ? absoluteRects(doc) : seenRects(doc);
      const ids = focus.ids === 'all' ? doc.nodes.map((n) => n.id) : focus.ids;
      const shown = ids.every((id) => {
        const r = rects.get(id);
        return !r || (containsRect(clear, r) && !(map && intersects(map, r)));
      });
      if (shown) {
        markFocusDone(focus.nonce);
        return;
      }
    }
    const viewport = viewportFor(focus);
    if (viewport) trackViewMove(flow.setViewport(viewport, { duration: 300 }));
    markFocusDone(focus.nonce);
    // Only a new request moves the view (a new nonce), not the minimap moving: it is read, not a dependency.
  }, [focus, flow, viewportFor, editor, size, markFocusDone]);

  // Selection has one source of truth, the editor store: React Flow's select changes are
  // turned into a store update and come back through the derived nodes. Applying them to
  // the local nodes as well would race the store and make the selection flicker.
  const applySelect = useCallback(
    (changes: { id: string; selected: boolean }[], kind: 'nodes' | 'edges') => {
      if (changes.length === 0) return;
      const state = editor.state;
      const current = new Set(kind === 'nodes' ? state.selection : state.selectedEdges);
      for (const change of changes) {
        if (change.selected) current.add(change.id);
        else current.delete(change.id);
      }
      const list = [...current];
      if (kind === 'nodes') editor.select(list, state.selectedEdges);
      else editor.select(state.selection, list);
    },
    [editor],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<TopologyFlowNode>[]) => {
      // Removal goes through the delete action (with its cleanup), never React Flow's own.
      const kept = changes.filter((c) => c.type !== 'remove' && c.type !== 'select');
      applySelect(changes.flatMap((c) => (c.type === 'select' ? [{ id: c.id, selected: c.selected }] : [])), 'nodes');
      if (kept.length > 0) setNodes((current) => applyNodeChanges(kept, current));
    },
    [applySelect],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<TopologyFlowEdge>[]) => {
      const kept = changes.filter((c) => c.type !== 'remove' && c.type !== 'select');
      applySelect(changes.flatMap((c) => (c.type === 'select' ? [{ id: c.id, selected: c.selected }] : [])), 'edges');
      if (kept.length > 0) setEdges((current) => applyEdgeChanges(kept, current));
    },
    [applySelect],
  );

  const onNodeDragStop = useCallback(
    (event: ReactMouseEvent | MouseEvent | TouchEvent, _node: TopologyFlowNode, dragged: TopologyFlowNode[]) => {
      const moves = dragged.map((n) => {
        const internal = flow.getInternalNode(n.id);
        return { id: n.id, position: internal?.internals.positionAbsolute ?? n.position };
      });
      // Dropped on a security group's chip: the node joins the group and stays where it was.
      const point = 'clientX' in event ? { x: event.clientX, y: event.clientY } : undefined;
      const group = point ? groupDropTarget(editor.doc, moves.map((m) => m.id), flow.screenToFlowPosition(point)) : undefined;
      if (group !== undefined) {
        const nodeId = moves[0]?.id as string;
        editor.apply(`Put ${nodeId} in ${group}`, (d) => joinSecurityGroup(d, { nodeId, groupId: group }));
        setNodes(derivedNodes);
        return;
      }
      const changed = editor.apply(moves.length === 1 ? `Move ${moves[0]?.id}` : `Move ${moves.length} nodes`, (d) =>
        moveNodes(d, { moves, snapToGrid: editor.state.settings.snapToGrid }),
      );
      // A refused move snaps back to where the model says the node is.
      if (!changed) setNodes(derivedNodes);
    },
    [editor, flow, derivedNodes],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      editor.apply(`Connect ${connection.source} to ${connection.target}`, (d) => connect(d, { source: connection.source, target: connection.target }));
    },
    [editor],
  );

  // While a connection is drawn, React Flow marks a target the model refuses as invalid
  // (the line turns red); when it is dropped there, the reason is shown.
  const isValidConnection = useCallback(
    (connection: { source: string; target: string }) => connection.source === connection.target || interpretConnection(editor.doc, connection.source, connection.target).ok,
    [editor],
  );
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid === true || !state.fromNode) return; // connected through a handle (onConnect)
      if (state.isValid === false && state.toNode) {
        const verdict = interpretConnection(editor.doc, state.fromNode.id, state.toNode.id);
        if (!verdict.ok) editor.toast('error', verdict.reason);
        return;
      }
      // Released away from any handle: anywhere on a node's body connects to that node.
      const body = nodeUnderPointer(event);
      if (!body || body === state.fromNode.id) return;
      const [source, target] = state.fromHandle?.type === 'target' ? [body, state.fromNode.id] : [state.fromNode.id, body];
      const verdict = interpretConnection(editor.doc, source, target);
      if (verdict.ok) editor.apply(`Connect ${source} to ${target}`, (d) => connect(d, { source, target }));
      else editor.toast('error', verdict.reason);
    },
    [editor],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME) as NodeKind;
      if (!kind) return;
      event.preventDefault();
      // Every node is centred on the pointer; a new container is sized to the part of the flow in view.
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const view = visibleRect(flow.getViewport(), size());
      let added: string | undefined;
      editor.apply(
        `Add ${kind}`,
        (d) => {
          const next = addNode(d, { kind, at, view, subnetPrefix: editor.state.settings.subnetPrefix, snapToGrid: editor.state.settings.snapToGrid });
          added = next.nodes.at(-1)?.id;
          return next;
        },
      );
      if (added) {
        editor.select([added]);
        // The free spot may be out of view (the view was full): follow it there.
        editor.reveal([added], undefined, 'outside');
      }
    },
    [editor, flow, size],
  );

  const onNodeClick = useCallback(
    (_event: unknown, node: TopologyFlowNode) => {
      const tool = editor.state.traceTool;
      if (!tool.active) return;
      if (!tool.source || tool.destination) editor.setTraceTool({ active: true, source: node.id });
      else editor.setTraceTool({ active: true, source: tool.source, destination: node.id });
    },
    [editor],
  );

  const [menu, setMenu] = useState<ContextMenuState | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const onNodeContextMenu = useCallback(
    (event: ReactMouseEvent, node: TopologyFlowNode) => {
      event.preventDefault();
      // The menu acts on the node under the pointer: select it unless it is already in the selection.
      if (!editor.state.selection.includes(node.id)) editor.select([node.id]);
      setMenu({ x: event.clientX, y: event.clientY, nodeId: node.id });
    },
    [editor],
  );
  const onPaneContextMenu = useCallback((event: ReactMouseEvent | MouseEvent) => {
    event.preventDefault();
    setMenu({ x: event.clientX, y: event.clientY });
  }, []);

  const large = doc.nodes.length > LARGE_DESIGN;
  return (
    <div ref={container} className={`canvas${traceTool.active ? ' is-tracing' : ''}`} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<TopologyFlowNode, TopologyFlowEdge>
        nodes={fittedOnce ? nodes : NO_NODES}
        edges={fittedOnce ? edges : NO_EDGES}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeClick={onNodeClick}
        onNodeContextMenu={onNodeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        connectionMode={ConnectionMode.Loose}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={multiSelectionKeys}
        snapToGrid={settings.snapToGrid}
        snapGrid={snapGrid}
        onlyRenderVisibleElements={large}
        defaultViewport={initialViewport}
        onInit={onInit}
        minZoom={0.05}
        maxZoom={2.5}
        proOptions={proOptions}
        colorMode={settings.theme}
        elevateNodesOnSelect={false}
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1} />
        <Controls showInteractive={false} position="bottom-left" />
        {settings.minimap ? <MiniMapSpot onPlaced={setMinimapCorner} /> : null}
        <ZoomMode target={container} />
      </ReactFlow>
      {menu ? <ContextMenu menu={menu} onClose={closeMenu} /> : null}
    </div>
  );
}
