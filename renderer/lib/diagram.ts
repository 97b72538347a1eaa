import { KIND_LABELS, resolveAddresses, TopologyIndex, type Topology } from '../../core/model/index.js';
import { absoluteRects, depthOf, isContainerKind, type Rect } from '../actions/geometry.js';
import { ICON_KIND_COLORS } from '../canvas/icons.js';
import { rendererKindOf } from '../kinds/index.js';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/**
 * The design as a standalone SVG document: containers as framed boxes, nodes as labelled
 * cards, traffic edges as arrows, associations and peerings dashed. Built from the model
 * (not a screenshot of the DOM), so it is crisp at any size and identical in every theme.
 */
export function diagramSvg(doc: Topology, options: { padding?: number; dark?: boolean } = {}): string {
  const pad = options.padding ?? 32;
  const rects = absoluteRects(doc);
  const all = [...rects.values()];
  const minX = all.length ? Math.min(...all.map((r) => r.x)) : 0;
  const minY = all.length ? Math.min(...all.map((r) => r.y)) : 0;
  const maxX = all.length ? Math.max(...all.map((r) => r.x + r.width)) : 320;
  const maxY = all.length ? Math.max(...all.map((r) => r.y + r.height)) : 200;
  const width = Math.ceil(maxX - minX + 2 * pad);
  const height = Math.ceil(maxY - minY + 2 * pad);
  const bg = options.dark ? '#0f172a' : '#ffffff';
  const fg = options.dark ? '#e2e8f0' : '#0f172a';
  const muted = options.dark ? '#94a3b8' : '#64748b';
  const card = options.dark ? '#1e293b' : '#ffffff';
  const t = (r: Rect): Rect => ({ x: r.x - minX + pad, y: r.y - minY + pad, width: r.width, height: r.height });
  const index = new TopologyIndex(doc);
  const addresses = resolveAddresses(index);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Inter, system-ui, sans-serif">`);
  out.push(`<title>${escapeXml(doc.name)}</title>`);
  out.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="${muted}"/></marker></defs>`);
  out.push(`<rect width="100%" height="100%" fill="${bg}"/>`);
  const ordered = doc.nodes.slice().sort((a, b) => depthOf(doc, a.id) - depthOf(doc, b.id));
  for (const node of ordered) {
    if (!isContainerKind(node.kind)) continue;
    const r = t(rects.get(node.id) as Rect);
    const color = ICON_KIND_COLORS[node.kind];
    const pattern = rendererKindOf(node.kind).frameDash;
    const dash = pattern ? ` stroke-dasharray="${pattern}"` : '';
    out.push(`<g data-id="${escapeXml(node.id)}"><rect x="${r.x}" y="${r.y}" width="${r.width}" height="${r.height}" rx="10" fill="${color}" fill-opacity="0.06" stroke="${color}" stroke-width="1.5"${dash}/>`);
    const cidr = 'cidr' in node ? ` ${node.cidr}` : '';
    out.push(`<text x="${r.x + 12}" y="${r.y + 22}" font-size="13" font-weight="600" fill="${color}">${escapeXml(`${KIND_LABELS[node.kind]} · ${node.name ?? node.id}`)}<tspan fill="${muted}" font-weight="400">${escapeXml(cidr)}</tspan></text></g>`);
  }
  const centre = (id: string): { x: number; y: number } | undefined => {
    const r = rects.get(id);
    return r ? { x: r.x - minX + pad + r.width / 2, y: r.y - minY + pad + (isContainerKind(index.node(id)?.kind ?? 'server') ? 18 : r.height / 2) } : undefined;
  };
  const line = (a: string, b: string, style: string): void => {
    const p = centre(a);
    const q = centre(b);
    if (p && q) out.push(`<line x1="${p.x}" y1="${p.y}" x2="${q.x}" y2="${q.y}" ${style}/>`);
  };
  for (const edge of doc.edges) line(edge.from, edge.to, `stroke="${muted}" stroke-width="1.5" marker-end="url(#arrow)"`);
  for (const node of doc.nodes) {
    if (node.kind === 'route-table') for (const s of node.subnets) line(node.id, s, `stroke="${ICON_KIND_COLORS['route-table']}" stroke-width="1.2" stroke-dasharray="5 4"`);
    if (node.kind === 'peering') for (const v of node.vpcs) line(node.id, v, `stroke="${ICON_KIND_COLORS.peering}" stroke-width="1.5" stroke-dasharray="2 4"`);
  }
  for (const node of doc.nodes) {
    if (isContainerKind(node.kind)) continue;
    const r = t(rects.get(node.id) as Rect);
    const color = ICON_KIND_COLORS[node.kind];
    const address = addresses.get(node.id);
    const sub = address ? `${address.ip}${address.port ? `:${address.port}` : ''}` : KIND_LABELS[node.kind];
    out.push(`<g data-id="${escapeXml(node.id)}"><rect x="${r.x}" y="${r.y}" width="${r.width}" height="${r.height}" rx="8" fill="${card}" stroke="${color}" stroke-width="1.5"/>`);
    out.push(`<rect x="${r.x}" y="${r.y}" width="6" height="${r.height}" rx="3" fill="${color}"/>`);
    out.push(`<text x="${r.x + 16}" y="${r.y + 24}" font-size="13" font-weight="600" fill="${fg}">${escapeXml(node.name ?? node.id)}</text>`);
    out.push(`<text x="${r.x + 16}" y="${r.y + 42}" font-size="11" fill="${muted}">${escapeXml(sub)}</text></g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Renders an SVG document to a PNG blob at `scale` (2 = sharp on high-density screens). */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Offers a blob or text as a download (the browser's "save as"). */
export function download(name: string, content: Blob | string, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
