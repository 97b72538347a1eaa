// React Flow's own engine: how it adopts the nodes the canvas hands it.
import { adoptUserNodes, Position, type InternalNodeBase } from '@xyflow/system';
import { describe, expect, it } from 'vitest';
import { emptyTopology, type Topology } from '../../../core/model/index.js';
import { connect } from '../../../renderer/actions/connect.js';
import { addNode } from '../../../renderer/actions/place.js';
import { edgeDiagnostics } from '../../../renderer/canvas/edge-diagnostics.js';
import { designBounds, FlowNodeCache, toFlowEdges, toFlowNodes } from '../../../renderer/canvas/flow.js';
import { validateTopology } from '../../../core/validate/index.js';
import { highlight, languageOf } from '../../../renderer/lib/highlight.js';
import { formatShortcut, matchesShortcut, type KeyPress } from '../../../renderer/lib/shortcuts.js';

function design(): Topology {
  let doc = addNode(emptyTopology(), { kind: 'vpc', position: { x: 0, y: 0 } });
  doc = addNode(doc, { kind: 'subnet', position: { x: 24, y: 48 } });
  doc = addNode(doc, { kind: 'route-table', position: { x: 400, y: 300 } });
  doc = addNode(doc, { kind: 'load-balancer', position: { x: 40, y: 100 } });
  doc = addNode(doc, { kind: 'server', position: { x: 40, y: 170 } });
  doc = connect(doc, { source: 'lb-1', target: 'web-1' });
  return connect(doc, { source: 'rtb-1', target: 'subnet-1' });
}

describe('toFlowNodes / toFlowEdges (the canvas is a view of the model)', () => {
  it('puts parents before children, with parentId, sizes, addresses and badges', () => {
    const doc = design();
    // Shuffle the file order: children first. React Flow still gets parents first.
    const shuffled = { ...doc, nodes: doc.nodes.slice().reverse() };
    const nodes = toFlowNodes(shuffled, { badges: new Map([['web-1', 'error']]), selection: new Set(['lb-1']), highlight: null });
    const order = nodes.map((n) => n.id);
    expect(order.indexOf('vpc-1')).toBeLessThan(order.indexOf('subnet-1'));
    expect(order.indexOf('subnet-1')).toBeLessThan(order.indexOf('web-1'));
    const web = nodes.find((n) => n.id === 'web-1');
    expect(web).toMatchObject({ type: 'device', parentId: 'subnet-1', width: 176, height: 56, data: { address: '10.0.0.5:80', badge: 'error' } });
    expect(nodes.find((n) => n.id === 'lb-1')?.selected).toBe(true);
    expect(nodes.find((n) => n.id === 'vpc-1')).toMatchObject({ type: 'container', width: 720, height: 440, dragHandle: '.container-header' });
  });

  it('keeps the handles React Flow measured when an edit re-derives a node (a connection right after an edit starts)', () => {
    const doc = design();
    const options = { badges: new Map<string, 'warning'>(), selection: new Set<string>(), highlight: null, cache: new FlowNodeCache() };
    const lookup = new Map<string, InternalNodeBase>();
    adoptUserNodes(toFlowNodes(doc, options), lookup, new Map());
    // What React Flow records once it has measured lb-1's two handles in the DOM.
    const handles = {
      source: [{ id: null, nodeId: 'lb-1', type: 'source' as const, position: Position.Right, x: 171, y: 23, width: 10, height: 10 }],
      target: [{ id: null, nodeId: 'lb-1', type: 'target' as const, position: Position.Left, x: -5, y: 23, width: 10, height: 10 }],
    };
    lookup.get('lb-1')!.internals.handleBounds = handles;
    // An edit elsewhere changes lb-1's badge: a new flow node for it.
    adoptUserNodes(toFlowNodes(doc, { ...options, badges: new Map([['lb-1', 'warning']]) }), lookup, new Map());
    expect(lookup.get('lb-1')!.internals.handleBounds).toBe(handles);
    expect(lookup.get('lb-1')!.measured).toEqual({ width: 176, height: 56 });
  });

  it('reuses the flow node of an unchanged model node (memoised components skip it)', () => {
    const doc = design();
    const cache = new FlowNodeCache();
    const options = { badges: new Map(), selection: new Set<string>(), highlight: null, cache };
    const first = toFlowNodes(doc, options);
    const renamed = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'lb-1' ? { ...n, name: 'front' } : n)) };
    const second = toFlowNodes(renamed, options);
    expect(second.find((n) => n.id === 'web-1')).toBe(first.find((n) => n.id === 'web-1'));
    expect(second.find((n) => n.id === 'lb-1')).not.toBe(first.find((n) => n.id === 'lb-1'));
  });

  it('draws traffic edges, associations and traced paths', () => {
    const edges = toFlowEdges(design(), { edgeBadges: new Map(), selection: new Set(), highlight: { nodes: ['lb-1', 'web-1'], edges: ['e-1'] } });
    expect(edges.map((e) => [e.id, e.source, e.target, e.data?.role, e.data?.trace ?? false])).toEqual([
      ['e-1', 'lb-1', 'web-1', 'traffic', true],
      ['assoc|rtb-1|subnet-1', 'rtb-1', 'subnet-1', 'association', false],
    ]);
  });

  it('colours an edge by its worst diagnostic and carries every message about it for the hover', () => {
    // The edge lb-1 -> web-1 names a port web-1 does not listen on: blocked by web-1. (A
    // subnet without a route table no longer blocks inside its VPC: the implicit main table.)
    const drawn = design();
    const doc = { ...drawn, edges: drawn.edges.map((e) => (e.id === 'e-1' ? { ...e, port: 8081 } : e)) };
    const { edgeBadges, edgeReasons } = edgeDiagnostics(validateTopology(doc), doc);
    expect(edgeBadges.get('e-1')).toBe('error');
    expect(edgeReasons.get('e-1')).toMatch(/^Edge "e-1" from "lb-1" to "web-1" \(port 8081, http\) is blocked by "web-1": .*listens on port \d+, not 8081/);
    const edges = toFlowEdges(doc, { edgeBadges, edgeReasons, selection: new Set(), highlight: null });
    const edge = edges.find((e) => e.id === 'e-1');
    expect(edge?.className).toContain('edge-error');
    expect(edge?.data?.reason).toBe(edgeReasons.get('e-1'));
    // Two diagnostics on one edge: the error wins the colour, both messages are kept.
    const two = edgeDiagnostics(
      [
        { code: 'lb-no-targets', severity: 'warning', message: 'first', nodeIds: [], path: 'edges[0]' },
        { code: 'connection-blocked', severity: 'error', message: 'second', nodeIds: [], path: 'e-1' },
      ],
      doc,
    );
    expect([two.edgeBadges.get('e-1'), two.edgeReasons.get('e-1')]).toEqual(['error', 'first\nsecond']);
    // connection-blocked's path is the edge id, not a JSON index: `edges[0]` there names no edge.
    const byIndex = edgeDiagnostics([{ code: 'connection-blocked', severity: 'error', message: 'x', nodeIds: [], path: 'edges[0]' }], doc);
    expect(byIndex.edgeBadges.size).toBe(0);
  });

  it('bounds the whole design in absolute coordinates', () => {
    expect(designBounds(emptyTopology())).toBeNull();
    expect(designBounds(design())).toEqual({ x: 0, y: 0, width: 720, height: 440 });
  });
});

describe('highlight', () => {
  it('tokenises nginx config into directives, comments, strings and numbers', () => {
    const tokens = highlight('# hi\nserver {\n    listen 80;\n    return 200 "ok";\n}\n', languageOf('nginx.conf'));
    expect(tokens.filter((t) => t.kind !== 'plain').map((t) => [t.kind, t.text.trim()])).toEqual([
      ['comment', '# hi'],
      ['keyword', 'server'],
      ['punct', '{'],
      ['keyword', 'listen'],
      ['number', '80'],
      ['punct', ';'],
      ['keyword', 'return'],
      ['number', '200'],
      ['string', '"ok"'],
      ['punct', ';'],
      ['punct', '}'],
    ]);
  });

  it('keeps every character: tokens join back to the text', () => {
    const text = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16" # c\n}\n';
    expect(highlight(text, languageOf('main.tf')).map((t) => t.text).join('')).toBe(text);
    expect(languageOf('compose.yaml')).toBe('yaml');
    expect(languageOf('haproxy.cfg')).toBe('haproxy');
  });
});

describe('shortcuts', () => {
  const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('matches modifiers exactly, Mod being Ctrl or Cmd', () => {
    expect(matchesShortcut(press('z', { ctrlKey: true }), 'Mod+Z', false)).toBe(true);
    expect(matchesShortcut(press('Z', { ctrlKey: true, shiftKey: true }), 'Mod+Z', false)).toBe(false);
    expect(matchesShortcut(press('Z', { ctrlKey: true, shiftKey: true }), 'Mod+Shift+Z', false)).toBe(true);
    expect(matchesShortcut(press('z', { metaKey: true }), 'Mod+Z', true)).toBe(true);
    expect(matchesShortcut(press('z', { metaKey: true }), 'Mod+Z', false)).toBe(false);
    expect(matchesShortcut(press('?', { shiftKey: true }), '?', false)).toBe(true);
    expect(matchesShortcut(press('+'), '+', false)).toBe(true);
    expect(matchesShortcut(press('Delete'), 'Delete', false)).toBe(true);
    expect(matchesShortcut(press('t'), 'Mod+T', false)).toBe(false);
  });
  it('formats for the platform', () => {
    expect(formatShortcut('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('Mod+Shift+Z', true)).toBe('⌘⇧Z');
  });
});
