import type { ValidationContext } from '../context.js';
import type { Diagnostic, DiagnosticCode } from '../diagnostic.js';

/** Receives each diagnostic a rule finds (pushing is cheaper than concatenating arrays). */
export type Report = (diagnostic: Diagnostic) => void;

/** One validation rule: one file under rules/, one concern, the codes it may report. */
export interface ValidationRule {
  readonly name: string;
  readonly codes: readonly DiagnosticCode[];
  check(context: ValidationContext, report: Report): void;
}

/** `"web-a" (subnet-1)` style label used in every message. */
export function nameOf(context: ValidationContext, id: string): string {
  const node = context.index.node(id);
  if (!node) return `"${id}"`;
  return node.name && node.name !== node.id ? `"${node.name}" (${node.id})` : `"${node.id}"`;
}
