import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  getViewportForBounds,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
} from '@xyflow/react';
import type { NodeKind } from '../../core/model/index.js';
import type { Severity } from '../../core/validate/index.js';
import { connect, interpretConnection } from '../actions/connect.js';
import { moveNodes } from '../actions/edit.js';
import { GRID, LEAF_SIZE, isContainerKind } from '../actions/geometry.js';
import { addNode } from '../actions/place.js';
import { useServices } from '../lib/context.js';
import { ContextMenu, type ContextMenuState } from '../panels/ContextMenu.js';
import { useStore } from '../store/useStore.js';
import { designBounds, FlowNodeCache, toFlowEdges, toFlowNodes, type TopologyFlowEdge, type TopologyFlowNode } from './flow.js';
import { edgeTypes, nodeTypes } from './nodes.js';
import { ICON_KIND_COLORS } from './icons.js';
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
const nodeColor = (n: TopologyFlowNode): string => ICON_KIND_COLORS[n.data.node.kind];

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
  const edgeBadges = useMemo(() => {
    const out = new Map<string, Severity>();
    for (const d of diagList) {
      const match = /^edges\[(\d+)\]/.exec(d.path ?? '');
      const edge = match ? doc.edges[Number(match[1])] : undefined;
      if (edge && (out.get(edge.id) !== 'error' || d.severity === 'error')) out.set(edge.id, d.severity);
    }
    return out;
  }, [diagList, doc]);
  const derivedEdges = useMemo(() => toFlowEdges(doc, { edgeBadges, selection: edgeSelection, highlight }), [doc, edgeBadges, edgeSelection, highlight]);

  // Live view state: the derived nodes plus in-flight drags and resizes.
  const [nodes, setNodes] = useState(derivedNodes);
  const [edges, setEdges] = useState(derivedEdges);
  useEffect(() => setNodes(derivedNodes), [derivedNodes]);
  useEffect(() => setEdges(derivedEdges), [derivedEdges]);

  // Fit the view to each newly loaded design, computed from the model's own sizes (no
  // waiting for React Flow to measure, which for 1,000 nodes means rendering them all
  // twice). An empty canvas keeps the identity viewport, so drops land under the pointer.
  const container = useRef<HTMLDivElement>(null);
  const fitted = useRef(-1);
  const fitViewport = useCallback(() => {
    const doc = editor.doc;
    const el = container.current;
    if (!el || el.clientWidth === 0) return null;
    // A large design opens on its first top-level container at a readable zoom (only what
    // is in view is rendered); "Zoom to fit" shows the whole of it.
    const first = doc.nodes.length > LARGE_DESIGN ? doc.nodes.find((n) => n.parent === undefined) : undefined;
    const bounds = first ? designBounds({ ...doc, nodes: [first] }) : designBounds(doc);
    if (!bounds) return null;
    return getViewportForBounds(bounds, el.clientWidth, el.clientHeight, first ? 0.35 : 0.05, 1, 0.12);
  }, [editor]);
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
    const viewport = fitViewport();
    if (viewport) void flow.setViewport(viewport);
    setFittedOnce(true);
  }, [viewportReady, loads, fitViewport, flow]);

  useEffect(() => {
    if (!focus || focus.ids.length === 0) return;
    void flow.fitView({ nodes: focus.ids.map((id) => ({ id })), duration: 300, maxZoom: 1.25, padding: 0.4 });
  }, [focus, flow]);

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
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.fromNode || !state.toNode) return;
      const verdict = interpretConnection(editor.doc, state.fromNode.id, state.toNode.id);
      if (!verdict.ok) editor.toast('error', verdict.reason);
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
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // The pointer holds a leaf by its middle and a container by its header.
      const position = isContainerKind(kind) ? { x: point.x - 24, y: point.y - 16 } : { x: point.x - LEAF_SIZE.width / 2, y: point.y - LEAF_SIZE.height / 2 };
      let added: string | undefined;
      editor.apply(
        `Add ${kind}`,
        (d) => {
          const next = addNode(d, { kind, position, subnetPrefix: editor.state.settings.subnetPrefix, snapToGrid: editor.state.settings.snapToGrid });
          added = next.nodes.at(-1)?.id;
          return next;
        },
      );
      if (added) editor.select([added]);
    },
    [editor, flow],
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
        {settings.minimap ? (
          <MiniMap<TopologyFlowNode>
            pannable
            zoomable
            position="bottom-right"
            nodeColor={nodeColor}
            nodeStrokeWidth={2}
            data-testid="minimap"
          />
        ) : null}
      </ReactFlow>
      {menu ? <ContextMenu menu={menu} onClose={closeMenu} /> : null}
    </div>
  );
}
