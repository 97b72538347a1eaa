// The differences between the lab and the exports that docs/export.md lists with their
// reason ("Documented differences"); each is also a line of the export's report. A
// difference the differential test finds must match one of these, or the test fails.
import type { ExportReport } from '../../../../core/export/report.js';
import type { Difference } from './compare.js';
import type { Outcome } from './probes.js';

/** One documented difference: which tool, which report line says it, which differences it explains. */
export interface KnownDifference {
  /** The id docs/export.md lists it under, and the report feature. */
  id: string;
  tool: 'nginx' | 'haproxy';
  /** The report line is about the entry node (else about the whole export). */
  perNode: boolean;
  matches(d: Difference, lab: Outcome, other: Outcome): boolean;
}

const probeName = (d: Difference): string => d.probe.id.slice(d.probe.entry.length + 1);
const raw = (name: string) => (d: Difference): boolean => probeName(d) === `raw ${name}` && d.field === 'status';
const cacheStep = (sequence: string, step: number) => (d: Difference): boolean => d.field === 'cache' && probeName(d).startsWith(`${sequence} ${step}:`);

/** The documented differences. */
export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  // The design's routing blocks the flow: the lab refuses it, nginx and HAProxy have no route tables.
  ...(['nginx', 'haproxy'] as const).map(
    (tool): KnownDifference => ({
      id: 'routing',
      tool,
      perNode: true,
      matches: (d, lab) => lab.blockedBy !== undefined || lab.status === 503 || d.field === 'distribution' || d.field === 'stickiness' || d.field === 'spread',
    }),
  ),
  { id: 'options-star', tool: 'nginx', perNode: false, matches: (d, lab, other) => raw('options-star')(d) && lab.status === 200 && other.status === 400 },
  { id: 'connect', tool: 'nginx', perNode: false, matches: (d, lab, other) => raw('connect')(d) && lab.status === 405 && other.status === 400 },
  { id: 'transfer-coding', tool: 'nginx', perNode: false, matches: (d, lab, other) => raw('te-gzip-only')(d) && lab.status === 400 && other.status === 501 },
  { id: 'transfer-coding', tool: 'haproxy', perNode: false, matches: (d, _lab, other) => (raw('te-gzip-chunked')(d) || raw('te-gzip-only')(d)) && other.status === 422 },
  { id: 'content-length-with-chunked', tool: 'haproxy', perNode: false, matches: (d, lab) => raw('cl-and-te')(d) && lab.status === 400 },
  { id: 'absolute-form-host', tool: 'haproxy', perNode: false, matches: (d, lab, other) => raw('absolute-form')(d) && other.status === 400 && lab.status !== 400 },
  { id: 'invalidation', tool: 'nginx', perNode: true, matches: cacheStep('post-invalidates', 4) },
  { id: 'authorization', tool: 'haproxy', perNode: true, matches: (d) => cacheStep('authorization', 5)(d) || cacheStep('response-public-authorization', 2)(d) },
  { id: 'request-directives', tool: 'haproxy', perNode: true, matches: cacheStep('pragma-with-cache-control', 2) },
  { id: 'head', tool: 'haproxy', perNode: true, matches: cacheStep('head', 2) },
];

/** The documented difference that explains `d`, when one does and the export's report carries its line. */
export function explain(tool: 'nginx' | 'haproxy', d: Difference, lab: Outcome, other: Outcome, report: ExportReport): KnownDifference | undefined {
  const lines = [...report.approximated, ...report.notExpressible];
  return KNOWN_DIFFERENCES.find(
    (k) => k.tool === tool && k.matches(d, lab, other) && lines.some((line) => line.feature === k.id && (!k.perNode || line.nodeId === d.probe.entry)),
  );
}
