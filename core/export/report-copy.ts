import type { ExportReport, ReportBuilder } from './report.js';

/**
 * Copies what a nested renderer (the nginx or HAProxy config a Compose service or a
 * Kubernetes cache runs) could not say exactly into the outer report, so each line still
 * names its node; a line that brought no action gets `fallback`.
 */
export function copyInexact(from: ExportReport, to: ReportBuilder, fallback: string): void {
  for (const entry of from.approximated) to.approximated(entry.nodeId, entry.feature, entry.detail, entry.action ?? fallback);
  for (const entry of from.notExpressible) to.notExpressible(entry.nodeId, entry.feature, entry.detail, entry.action ?? fallback);
}
