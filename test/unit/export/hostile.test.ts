import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderExport, type ExportFormat } from '../../../core/export/index.js';
import type { Topology } from '../../../core/model/types.js';
import { fixture } from './designs.js';

/**
 * Names, descriptions, labels and tags are free text: whatever they hold, they may only
 * change comments, quoted strings and labels, never the structure of a config. Each target
 * renders the hostile design and a twin whose free text is plain; with comments (and the
 * few quoted places free text is allowed) taken out, the two must be the same.
 */
const hostile = fixture('hostile-names');

function plainTwin(topology: Topology): Topology {
  const twin = structuredClone(topology);
  twin.name = 'plain';
  twin.description = 'plain';
  for (const node of twin.nodes) {
    if (node.name !== undefined) node.name = 'plain';
    if (node.description !== undefined) node.description = 'plain';
    if (node.tags !== undefined) node.tags = Object.fromEntries(Object.keys(node.tags).map((k) => [k, 'plain']));
  }
  for (const edge of twin.edges) if (edge.label !== undefined) edge.label = 'plain';
  return twin;
}

function contents(topology: Topology, format: ExportFormat): string {
  return renderExport(topology, format).files.map((f) => `${f.path}\n${f.content}`).join('\n');
}

/** Drops `#` comments that start a line (every comment the exporters write does). */
function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
}

describe('free text from the design cannot change a config', () => {
  const twin = plainTwin(hostile);

  it.each(['nginx', 'haproxy', 'compose', 'kubernetes'] as const)('%s: only comments differ from the plain twin', (format) => {
    let evil = contents(hostile, format);
    let plain = contents(twin, format);
    expect(evil).not.toBe(plain); // the names did reach the comments
    if (format === 'compose') {
      // The Compose project name is the design name reduced to Compose's alphabet.
      expect(evil).toMatch(/^name: [a-z0-9][a-z0-9_-]*$/m);
      evil = evil.replace(/^name: .*$/m, 'name: ~');
      plain = plain.replace(/^name: .*$/m, 'name: ~');
    }
    expect(withoutComments(evil)).toBe(withoutComments(plain));
  });

  it('nginx and HAProxy comments stay on one line', () => {
    for (const format of ['nginx', 'haproxy'] as const) {
      const text = contents(hostile, format);
      expect(text).toContain('a;}\\n}\\nserver { listen 1; }');
      expect(text).not.toMatch(/^server \{ listen 1; \}/m);
    }
  });

  it('terraform: free text appears only inside escaped strings and comments', () => {
    const evil = contents(hostile, 'terraform');
    const plain = contents(twin, 'terraform');
    // Quoted strings with escapes removed: the structure around them is identical.
    const strip = (text: string): string => withoutComments(text).replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(strip(evil)).toBe(strip(plain));
    expect(evil).toContain('"$${jndi} \\"quoted\\"\\nnext"');
  });

  it('compose and kubernetes parse as YAML', () => {
    for (const format of ['compose', 'kubernetes'] as const) {
      for (const file of renderExport(hostile, format).files.filter((f) => /\.ya?ml$/.test(f.path))) {
        for (const doc of parseAllDocuments(file.content)) expect(doc.errors).toEqual([]);
      }
    }
  });

  it('drawio: well-formed XML whose labels carry the names as text', () => {
    const [file] = renderExport(hostile, 'drawio').files;
    expect(XMLValidator.validate(file?.content ?? '')).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true }).parse(file?.content ?? '') as {
      mxfile: { diagram: { name: string; mxGraphModel: { root: { mxCell: { id: string; value?: string }[] } } } };
    };
    expect(parsed.mxfile.diagram.name).toBe(hostile.name);
    const cells = parsed.mxfile.diagram.mxGraphModel.root.mxCell;
    const lb = cells.find((c) => c.id === 'node:lb:x');
    expect(lb?.value?.split('\n')[0]).toBe('a;}');
    expect(cells.find((c) => c.id === 'node:srv.a')?.value).toBe('<script>alert(1)</script>\nServer\n10.9.1.5:80 (assigned)');
  });

  it('rules whose host, path or headers cannot be written literally are skipped and reported', () => {
    for (const format of ['nginx', 'haproxy'] as const) {
      const { report, files } = renderExport(hostile, format);
      const skipped = report.notExpressible.filter((e) => e.nodeId === 'rp').map((e) => e.detail);
      expect(skipped.some((d) => d.includes('evil;}.com'))).toBe(true);
      expect(skipped.some((d) => d.includes('/a b;}'))).toBe(true);
      expect(skipped.some((d) => d.includes('X-Bad\\nName'))).toBe(true);
      expect(skipped.some((d) => d.includes('X-Newline'))).toBe(true);
      const text = files[0]?.content ?? '';
      expect(text).not.toContain('evil;}.com');
      expect(text).not.toMatch(/X-Newline/);
    }
  });
});
