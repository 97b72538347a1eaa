import { renderExport, type ExportResult, type ReportEntry } from '../../export/index.js';
import type { Topology } from '../../model/types.js';
import { diagnosticLocation, type Diagnostic } from '../../validate/diagnostic.js';
import { validateTopology } from '../../validate/index.js';
import type { Handlers, ServiceContext } from './types.js';

/**
 * Handler of `export`: the pure renderer, options passed through, and the design's errors
 * as `report.errors` (core/export does not import the validator, so they join here, once for
 * every transport).
 */
export function createExportHandlers(_context: ServiceContext): Pick<Handlers, 'export'> {
  return {
    export: ({ topology, format, options }) => withDesignErrors(topology, renderExport(topology, format, options ?? {})),
  };
}

/**
 * The result with the design's errors joined to `report.errors` (unchanged when validate finds
 * none): validate's first, then what the target refuses on its own (Terraform's single-zone
 * ALB), each line once.
 */
export function withDesignErrors(topology: Topology, result: ExportResult): ExportResult {
  const errors = validateTopology(topology).filter((d) => d.severity === 'error');
  if (errors.length === 0) return result;
  return { ...result, report: { ...result.report, errors: joinErrors(errors.map(errorLine), result.report.errors ?? []) } };
}

/** Both lists in order, a line that says the same thing (node, feature, detail) kept once. */
export function joinErrors(first: readonly ReportEntry[], second: readonly ReportEntry[]): ReportEntry[] {
  const seen = new Set<string>();
  const joined: ReportEntry[] = [];
  for (const entry of [...first, ...second]) {
    const key = JSON.stringify([entry.nodeId ?? null, entry.feature, entry.detail]);
    if (seen.has(key)) continue;
    seen.add(key);
    joined.push(entry);
  }
  return joined;
}

function errorLine(d: Diagnostic): ReportEntry {
  const nodeId = d.nodeIds[0];
  const where = d.path !== undefined ? ` (at ${diagnosticLocation(d) ?? d.path})` : '';
  return {
    ...(nodeId === undefined ? {} : { nodeId }),
    feature: d.code,
    detail: `${d.message}${where}`,
    action: d.fix !== undefined ? `${d.fix.title} (${d.fix.nodeId}.${d.fix.field})` : 'fix the design (topolab validate explains it), then export again',
  };
}
