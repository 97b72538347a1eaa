// Issue 15: each report line names the node, what was expressed, approximated or not
// expressible, and what to do; and no line contradicts the target (a forward proxy is never
// sent to HAProxy, which is no forward proxy).
import { describe, expect, it } from 'vitest';
import { renderExport, type ExportFormat } from '../../../core/export/index.js';
import { exportDesigns } from './designs.js';

const TARGETS: readonly ExportFormat[] = ['nginx', 'haproxy'];

describe.each(exportDesigns())('$name', ({ topology }) => {
  const ids = new Set(topology.nodes.map((n) => n.id));
  it.each(TARGETS)('%s: every approximated and not-expressible line names a node of the design (or none) and says what to do', (format) => {
    const { report } = renderExport(topology, format);
    for (const line of [...report.approximated, ...report.notExpressible]) {
      const where = `${format} ${line.nodeId ?? '(whole export)'} ${line.feature}`;
      if (line.nodeId !== undefined) expect(ids.has(line.nodeId), `${where}: a node of the design`).toBe(true);
      expect(line.detail.length, `${where}: says what became of it`).toBeGreaterThan(10);
      expect(line.action ?? '', `${where}: says what to do`).toMatch(/\S{3}/);
    }
  });

  it('a forward proxy is sent to Squid (the Compose export), never to the other proxy export', () => {
    for (const format of TARGETS) {
      for (const line of renderExport(topology, format).report.notExpressible.filter((l) => l.feature === 'forward-proxy')) {
        expect(line.action).toContain('Squid');
        expect(`${line.detail} ${line.action ?? ''}`).not.toMatch(format === 'nginx' ? /HAProxy/ : /nginx/);
      }
    }
  });
});
