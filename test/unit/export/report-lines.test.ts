import { describe, expect, it } from 'vitest';
import { renderExport, type ExportFormat, type ReportEntry } from '../../../core/export/index.js';
import { exportDesigns } from './designs.js';

/**
 * The reports of the infrastructure exports (Terraform, Kubernetes, Compose, draw.io): every
 * line names its node (or is about the whole design), says what became of the feature and,
 * when the export is not exact, what to do; and no line contradicts what the tools are.
 */
const FORMATS: ExportFormat[] = ['terraform', 'kubernetes', 'compose', 'drawio'];
/**
 * Features about the whole design, which have no node: the target's own, and the parser-level
 * differences and timeouts of the nginx and HAProxy configs that Compose and Kubernetes run
 * (core/export/protocol-notes.ts, the HAProxy export's timeouts), copied from those exports.
 */
const DESIGN_WIDE = new Set(['provider', 'nodes', 'layout', 'addresses', 'semantics', 'options-star', 'connect', 'transfer-coding', 'content-length-with-chunked', 'absolute-form-host', 'timeouts']);

describe.each(exportDesigns())('$name', ({ topology }) => {
  it.each(FORMATS)('%s: every line names its node; every inexact line says what to do', (format) => {
    const { report } = renderExport(topology, format);
    const ids = new Set(topology.nodes.map((n) => n.id));
    const lines: [string, ReportEntry][] = [
      ...report.expressed.map((e) => ['expressed', e] as [string, ReportEntry]),
      ...report.approximated.map((e) => ['approximated', e] as [string, ReportEntry]),
      ...report.notExpressible.map((e) => ['notExpressible', e] as [string, ReportEntry]),
      ...(report.errors ?? []).map((e) => ['errors', e] as [string, ReportEntry]),
    ];
    for (const [kind, entry] of lines) {
      const where = `${format} ${kind} ${JSON.stringify(entry)}`;
      if (entry.nodeId === undefined) expect(DESIGN_WIDE.has(entry.feature), where).toBe(true);
      else expect(ids.has(entry.nodeId), where).toBe(true);
      expect(entry.detail.length, where).toBeGreaterThan(0);
      if (kind !== 'expressed') expect(entry.action?.length ?? 0, `${where} has no action`).toBeGreaterThan(0);
    }
  });
});

describe('no self-contradicting advice', () => {
  it('no report tells a forward proxy to use HAProxy, which is no forward proxy', () => {
    for (const { topology } of exportDesigns()) {
      const forwardProxies = new Set(topology.nodes.filter((n) => n.kind === 'forward-proxy').map((n) => n.id));
      for (const format of FORMATS) {
        const { report } = renderExport(topology, format);
        for (const entry of [...report.approximated, ...report.notExpressible]) {
          if (entry.nodeId !== undefined && forwardProxies.has(entry.nodeId)) expect(`${entry.detail} ${entry.action ?? ''}`).not.toMatch(/haproxy/i);
        }
      }
    }
  });
});
