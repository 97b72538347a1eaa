import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderDrawio } from '../../../core/export/drawio/index.js';
import { resolveAddresses } from '../../../core/model/addresses.js';
import { TopologyIndex } from '../../../core/model/queries.js';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportDesigns, ROOT } from './designs.js';

/** Cell id -> label, as draw.io reads the file (entities and character references decoded). */
function labels(topology: Topology): Map<string, string> {
  const content = renderDrawio(topology).files[0]?.content ?? '';
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => name === 'mxCell' }).parse(content) as {
    mxfile: { diagram: { mxGraphModel: { root: { mxCell: { id: string; value?: string }[] } } } };
  };
  return new Map(parsed.mxfile.diagram.mxGraphModel.root.mxCell.map((c) => [c.id, c.value ?? '']));
}

const endpoint = (ip: string, port: number): string => (port === 0 ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

describe('draw.io labels carry the designed addresses', () => {
  it('the reverse-proxy example: all six serving nodes show the address the engine assigned them', () => {
    const topology = parseTopology(readFileSync(join(ROOT, 'examples', 'reverse-proxy.topolab.json'), 'utf8'));
    const byCell = labels(topology);
    const expected: Record<string, string> = { gateway: '10.4.0.4:80', 'api-1': '10.4.1.4:9000', 'api-2': '10.4.1.5:9000', static: '10.4.1.6:8080', admin: '10.4.1.7:8443', storefront: '10.4.1.8:3000' };
    for (const [id, address] of Object.entries(expected)) expect(byCell.get(`node:${id}`)?.split('\n')).toContain(`${address} (assigned)`);
  });

  it.each(exportDesigns().map((d) => [d.name, d.topology] as const))('%s: every addressed node shows its designed address', (_name, topology) => {
    const byCell = labels(topology);
    const addresses = resolveAddresses(new TopologyIndex(topology));
    for (const [id, address] of addresses) {
      const line = `${endpoint(address.ip, address.port)}${address.assigned ? ' (assigned)' : ''}`;
      expect(byCell.get(`node:${id}`)?.split('\n'), id).toContain(line);
    }
  });
});
