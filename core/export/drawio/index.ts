import type { Edge, Topology, TopologyNode } from '../../model/types.js';
import { resolveAddresses, type ResolvedAddress } from '../../model/addresses.js';
import { TopologyIndex } from '../../model/queries.js';
import { KIND_LABELS, KIND_TRAITS, type NodeKind } from '../../model/kinds/index.js';
import { formatEndpoint, type ExportOptions } from '../options.js';
import { ReportBuilder, type ExportResult } from '../report.js';

/** draw.io styles per kind, close to the AWS architecture palette (every kind: the compiler names a new one). */
const STYLES: Readonly<Record<NodeKind, string>> = {
  vpc: 'rounded=0;whiteSpace=wrap;html=0;container=1;collapsible=0;fillColor=none;strokeColor=#248814;strokeWidth=2;verticalAlign=top;align=left;spacingLeft=8;fontStyle=1;',
  subnet: 'rounded=0;whiteSpace=wrap;html=0;container=1;collapsible=0;fillColor=#E9F3E6;strokeColor=#7AA116;dashed=1;verticalAlign=top;align=left;spacingLeft=8;',
  'autoscaling-group': 'rounded=1;whiteSpace=wrap;html=0;container=1;collapsible=0;fillColor=none;strokeColor=#D86613;dashed=1;verticalAlign=top;align=left;spacingLeft=8;',
  'route-table': 'shape=table;whiteSpace=wrap;html=0;fillColor=#F5F5F5;strokeColor=#666666;',
  'security-group': 'rounded=1;whiteSpace=wrap;html=0;fillColor=none;strokeColor=#DD344C;dashed=1;',
  'network-acl': 'shape=table;whiteSpace=wrap;html=0;fillColor=#FBE9EB;strokeColor=#DD344C;',
  'internet-gateway': 'ellipse;whiteSpace=wrap;html=0;fillColor=#8C4FFF;fontColor=#FFFFFF;strokeColor=none;',
  'nat-gateway': 'ellipse;whiteSpace=wrap;html=0;fillColor=#8C4FFF;fontColor=#FFFFFF;strokeColor=none;',
  peering: 'rhombus;whiteSpace=wrap;html=0;fillColor=#8C4FFF;fontColor=#FFFFFF;strokeColor=none;',
  server: 'rounded=1;whiteSpace=wrap;html=0;fillColor=#ED7100;fontColor=#FFFFFF;strokeColor=none;',
  'load-balancer': 'rounded=1;whiteSpace=wrap;html=0;fillColor=#8C4FFF;fontColor=#FFFFFF;strokeColor=none;',
  'reverse-proxy': 'rounded=1;whiteSpace=wrap;html=0;fillColor=#E7157B;fontColor=#FFFFFF;strokeColor=none;',
  'forward-proxy': 'rounded=1;whiteSpace=wrap;html=0;fillColor=#E7157B;fontColor=#FFFFFF;strokeColor=none;',
  cache: 'shape=cylinder3;whiteSpace=wrap;html=0;fillColor=#C925D1;fontColor=#FFFFFF;strokeColor=none;',
  client: 'shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;html=0;',
  'dns-zone': 'shape=document;whiteSpace=wrap;html=0;fillColor=#8C4FFF;fontColor=#FFFFFF;strokeColor=none;',
};

const EDGE_STYLE = 'edgeStyle=orthogonalEdgeStyle;rounded=0;html=0;endArrow=block;';
const LEAF = { width: 140, height: 60 };
const GAP = 40;
const HEADER = 40;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Renders the design as a draw.io diagram (`.drawio`, uncompressed XML): VPCs, subnets and
 * auto-scaling groups are containers holding their children, positions come from the
 * design's layout (relative to the parent, as draw.io expects) and nodes without one are
 * placed on a grid inside their parent. Labels are plain text (`html=0`), XML-escaped.
 */
export function renderDrawio(topology: Topology, _options: ExportOptions = {}): ExportResult {
  const report = new ReportBuilder('drawio');
  const index = new TopologyIndex(topology);
  const addresses = resolveAddresses(index);
  const boxes = new Map<string, Box>();
  const roots = topology.nodes.filter((n) => n.parent === undefined || !index.node(n.parent));
  placeChildren(index, topology, roots, boxes, 40, 40);
  const cells: string[] = ['<mxCell id="0" />', '<mxCell id="1" parent="0" />'];
  for (const node of orderedParentsFirst(index, topology)) {
    const box = boxes.get(node.id) as Box;
    const parent = node.parent !== undefined && index.node(node.parent) ? cellId(node.parent) : '1';
    const style = STYLES[node.kind];
    cells.push(
      `<mxCell id="${attr(cellId(node.id))}" value="${attr(label(node, addresses))}" style="${attr(style)}" vertex="1" parent="${attr(parent)}">` +
        `<mxGeometry x="${num(box.x)}" y="${num(box.y)}" width="${num(box.width)}" height="${num(box.height)}" as="geometry" /></mxCell>`,
    );
  }
  for (const edge of topology.edges) {
    if (!index.node(edge.from) || !index.node(edge.to)) continue;
    cells.push(
      `<mxCell id="${attr(`edge:${edge.id}`)}" value="${attr(edgeLabel(edge))}" style="${EDGE_STYLE}" edge="1" parent="1" source="${attr(cellId(edge.from))}" target="${attr(cellId(edge.to))}">` +
        '<mxGeometry relative="1" as="geometry" /></mxCell>',
    );
  }
  report.expressed(undefined, 'nodes', `${topology.nodes.length} node(s) and ${topology.edges.length} edge(s); VPCs, subnets and groups as nested containers`);
  const unplaced = topology.nodes.filter((n) => !topology.layout[n.id]).map((n) => n.id);
  if (unplaced.length > 0) report.approximated(undefined, 'layout', `${unplaced.length} node(s) without a saved position placed on a grid: ${unplaced.join(', ')}`, 'arrange them in draw.io, or lay them out in Topolab and export again');
  report.expressed(undefined, 'addresses', `every CIDR and designed address (${addresses.size}, assigned ones marked) in the labels`);
  report.notExpressible(undefined, 'semantics', 'draw.io keeps the picture only: rules, health checks, limits and other settings are not carried, and labels are plain text', 'keep the .topolab.json as the source of truth and export again after a change');
  const body = cells.map((c) => `        ${c}`).join('\n');
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<mxfile host="Topolab" type="device">\n  <diagram id="topolab" name="${attr(topology.name)}">\n` +
    '    <mxGraphModel grid="1" gridSize="10" guides="1" connect="1" arrows="1" fold="1" page="0" math="0" shadow="0">\n      <root>\n' +
    `${body}\n      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n`;
  return { files: [{ path: 'topology.drawio', content }], report: report.build() };
}

/** VPCs, subnets and groups are drawn as containers holding their children. */
function isContainer(node: TopologyNode): boolean {
  return KIND_TRAITS[node.kind].container !== false;
}

/** Cell ids: the design id behind a prefix, so they never collide with draw.io's own "0" and "1". */
function cellId(id: string): string {
  return `node:${id}`;
}

/**
 * The label a person sees: name (or id), kind, and the CIDR or the designed address where
 * there is one: the address the lab, trace and every export use, also when the engine
 * assigned it (marked "assigned"); an `ip` that does not parse is shown as written.
 */
function label(node: TopologyNode, addresses: ReadonlyMap<string, ResolvedAddress>): string {
  const lines = [node.name ?? node.id, KIND_LABELS[node.kind]];
  const address = addresses.get(node.id);
  if ('cidr' in node) lines.push(node.cidr);
  // A client has an address but no port (0): it listens on nothing.
  else if (address) lines.push(`${address.port > 0 ? formatEndpoint(address.ip, address.port) : address.ip}${address.assigned ? ' (assigned)' : ''}`);
  else if ('ip' in node && node.ip !== undefined) lines.push(node.port !== undefined ? `${node.ip}:${node.port}` : node.ip);
  return lines.join('\n');
}

/**
 * XML attribute text: `& < > "` as entities, and newlines, tabs and CRs as character
 * references so they survive attribute normalisation; other control characters, which XML
 * 1.0 cannot carry at all, are dropped.
 */
export function attr(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === '\n') out += '&#xa;';
    else if (ch === '\r') out += '&#xd;';
    else if (ch === '\t') out += '&#x9;';
    else if (code < 0x20 || code === 0xfffe || code === 0xffff) continue;
    else out += ch;
  }
  return out;
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Parents before children, so every cell's parent is already defined when draw.io reads it. */
function orderedParentsFirst(index: TopologyIndex, topology: Topology): TopologyNode[] {
  const out: TopologyNode[] = [];
  const visit = (node: TopologyNode): void => {
    out.push(node);
    for (const child of index.children(node.id)) visit(child);
  };
  for (const node of topology.nodes) if (node.parent === undefined || !index.node(node.parent)) visit(node);
  return out;
}

/** Sizes and places nodes: saved layout first; containers grow to hold their children. */
function placeChildren(index: TopologyIndex, topology: Topology, nodes: readonly TopologyNode[], boxes: Map<string, Box>, startX: number, startY: number): void {
  let cursorX = startX;
  let cursorY = startY;
  let rowHeight = 0;
  const perRow = 4;
  nodes.forEach((node, i) => {
    const children = index.children(node.id);
    if (isContainer(node) || children.length > 0) placeChildren(index, topology, children, boxes, 20, HEADER);
    const saved = topology.layout[node.id];
    let width = saved?.width ?? LEAF.width;
    let height = saved?.height ?? LEAF.height;
    if (isContainer(node) || children.length > 0) {
      const extent = children.reduce((acc, c) => {
        const b = boxes.get(c.id) as Box;
        return { w: Math.max(acc.w, b.x + b.width), h: Math.max(acc.h, b.y + b.height) };
      }, { w: 200, h: 100 });
      // A saved size is kept unless children placed on the grid would spill out of it.
      width = Math.max(saved?.width ?? 0, extent.w + 20);
      height = Math.max(saved?.height ?? 0, extent.h + 20);
    }
    if (saved) {
      boxes.set(node.id, { x: saved.x, y: saved.y, width, height });
      return;
    }
    if (i > 0 && i % perRow === 0) {
      cursorX = startX;
      cursorY += rowHeight + GAP;
      rowHeight = 0;
    }
    boxes.set(node.id, { x: cursorX, y: cursorY, width, height });
    cursorX += width + GAP;
    rowHeight = Math.max(rowHeight, height);
  });
}

/** An edge's label, then the protocol and port it names, if any: `orders (tcp 5432)`. */
function edgeLabel(edge: Edge): string {
  const flow = [edge.protocol, edge.port].filter((part) => part !== undefined).join(' ');
  if (flow === '') return edge.label ?? '';
  return edge.label !== undefined ? `${edge.label} (${flow})` : flow;
}
