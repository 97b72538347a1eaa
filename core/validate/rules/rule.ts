import { KIND_LABELS, type NodeKind } from '../../model/kinds.js';
import type { ValidationContext } from '../context.js';
import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostic.js';
import type { Describe } from '../findings.js';

/**
 * Receives each diagnostic a rule finds (pushing is cheaper than concatenating arrays).
 * `position`: where the first of its `nodeIds` is in `topology.nodes`, when the rule has it
 * at hand (the result is ordered by it; otherwise it is looked up by id).
 */
export interface Report {
  (diagnostic: Diagnostic, position?: number): void;
  /**
   * A finding whose diagnostic is built only when it is read (`describe(subject)`, which
   * must give `code` and `severity` and have its first node at `position`): for a rule that
   * may report once per subnet of a big plan, so 100,000 findings are not 100,000 messages
   * held in memory until printed (findings.ts). Same result as `report(describe(subject), position)`.
   */
  described<T>(code: DiagnosticCode, severity: Severity, position: number, describe: Describe<T>, subject: T): void;
}

/** One validation rule: one file under rules/, one concern, the codes it may report. */
export interface ValidationRule {
  readonly name: string;
  readonly codes: readonly DiagnosticCode[];
  check(context: ValidationContext, report: Report): void;
}

/** `"web-a" (subnet-1)` style label used in every message. */
export function nameOf(context: ValidationContext, id: string): string {
  const node = context.index.node(id);
  return node ? labelOf(node) : `"${id}"`;
}

/** The label of a node in hand (no lookup: rules over 100,000 subnets have the node already). */
export function labelOf(node: { id: string; name?: string | undefined }): string {
  return node.name && node.name !== node.id ? `"${node.name}" (${node.id})` : `"${node.id}"`;
}

/** A kind's label inside a sentence: "internet gateway", but "NAT gateway" and "VPC" stay. */
export function kindWord(kind: NodeKind): string {
  const label = KIND_LABELS[kind];
  return label.length > 1 && label[1] === label[1]!.toLowerCase() ? label[0]!.toLowerCase() + label.slice(1) : label;
}

/** "a subnet", "an auto-scaling group": a kind word with its article. */
export function aKind(kind: NodeKind): string {
  const word = kindWord(kind);
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** `secondaryCidrs[1]` -> ['secondaryCidrs', 1], for `TopologyIndex.pathOf`. */
export function fieldParts(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const match = /^([^[]+)\[(\d+)\]$/.exec(part);
    if (match) out.push(match[1]!, Number(match[2]));
    else out.push(part);
  }
  return out;
}
