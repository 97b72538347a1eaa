import type { Diagnostic } from '../../../core/validate/index.js';

/** The first validator message about one field of a node (shown inline under it); syntax errors are the field's own. */
export function fieldProblem(diagnostics: readonly Diagnostic[], field: string): string | null {
  const hit = diagnostics.find((d) => d.path?.endsWith(`.${field}`) && d.code !== 'cidr-invalid' && d.code !== 'cidr-host-bits' && d.code !== 'ip-invalid');
  return hit?.message ?? null;
}
