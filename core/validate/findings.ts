import type { Diagnostic, DiagnosticCode, Severity } from './diagnostic.js';

/**
 * Builds the diagnostic of a finding reported with `Report.described`, from the subject the
 * rule handed in. Pure: it must give an equal diagnostic every time it is asked.
 */
export type Describe<T> = (subject: T) => Diagnostic;

/**
 * The diagnostics of one validation, sorted, read one at a time. A finding a rule reported
 * with `Report.described` (one per subnet of a plan without route tables: 100,000 of them)
 * costs a few array slots until it is read: `at(i)` builds its diagnostic then, and again
 * at every call, so a reader that writes each one out and drops it (`validate --json`, or
 * the report, which prints only the first few of a code) never holds them all at once.
 * Severity and code are known without building anything.
 */
export interface DiagnosticList {
  readonly length: number;
  severityAt(i: number): Severity;
  codeAt(i: number): DiagnosticCode;
  /** The i-th diagnostic (built afresh for a described finding). */
  at(i: number): Diagnostic;
  /** Every severity, in list order: for a reader that walks 100,000 of them (one array, not a call each). Do not change it. */
  severities(): readonly Severity[];
  /** Every code, in list order. Do not change it. */
  codes(): readonly DiagnosticCode[];
  /** Every diagnostic, built. */
  toArray(): Diagnostic[];
}

/** A list over diagnostics already in hand (tests, and callers that have an array). */
export function diagnosticList(diagnostics: readonly Diagnostic[]): DiagnosticList {
  return {
    length: diagnostics.length,
    severityAt: (i) => diagnostics[i]!.severity,
    codeAt: (i) => diagnostics[i]!.code,
    at: (i) => diagnostics[i]!,
    severities: () => diagnostics.map((d) => d.severity),
    codes: () => diagnostics.map((d) => d.code),
    toArray: () => diagnostics.slice(),
  };
}

/**
 * What the rules reported, in the order they found it: a diagnostic, or a subject and the
 * function that describes it. Kept as parallel arrays so that a described finding allocates
 * no object of its own (the subject is something the validation holds anyway).
 */
export class Findings {
  /** A diagnostic, or the subject of a described finding. */
  private readonly items: unknown[] = [];
  /** The describer of a described finding; undefined for a diagnostic. */
  private readonly describers: (Describe<never> | undefined)[] = [];
  private readonly codes: DiagnosticCode[] = [];
  private readonly severities: Severity[] = [];
  /** Position of the first node in `topology.nodes` when the rule gave it; -2 when it did not. */
  readonly positions: number[] = [];

  get length(): number {
    return this.items.length;
  }

  add(diagnostic: Diagnostic, position?: number): void {
    this.items.push(diagnostic);
    this.describers.push(undefined);
    this.codes.push(diagnostic.code);
    this.severities.push(diagnostic.severity);
    this.positions.push(position ?? -2);
  }

  described<T>(code: DiagnosticCode, severity: Severity, position: number, describe: Describe<T>, subject: T): void {
    this.items.push(subject);
    this.describers.push(describe as Describe<never>);
    this.codes.push(code);
    this.severities.push(severity);
    this.positions.push(position);
  }

  severityAt(i: number): Severity {
    return this.severities[i]!;
  }

  /** Every severity, in the order found: for a walk over all of them (one array, not a call each). Do not change it. */
  severityArray(): readonly Severity[] {
    return this.severities;
  }

  codeAt(i: number): DiagnosticCode {
    return this.codes[i]!;
  }

  at(i: number): Diagnostic {
    const describe = this.describers[i];
    return describe === undefined ? (this.items[i] as Diagnostic) : (describe as Describe<unknown>)(this.items[i]);
  }

  /** The findings in `order` (positions into these findings), as a list. */
  list(order: Int32Array | undefined): DiagnosticList {
    const at = order === undefined ? (i: number): number => i : (i: number): number => order[i]!;
    // Built on first use, once: the CLI counts the errors and then writes the report from them.
    let severities: Severity[] | undefined;
    let codes: DiagnosticCode[] | undefined;
    const list: DiagnosticList = {
      length: this.length,
      severityAt: (i) => this.severities[at(i)]!,
      codeAt: (i) => this.codes[at(i)]!,
      at: (i) => this.at(at(i)),
      severities: () => (severities ??= inOrder(this.severities, order)),
      codes: () => (codes ??= inOrder(this.codes, order)),
      toArray: () => {
        const out = new Array<Diagnostic>(list.length);
        for (let i = 0; i < out.length; i++) out[i] = list.at(i);
        return out;
      },
    };
    return list;
  }
}

/**
 * `values` read in `order` (a copy of `values` without one). An indexed loop into an array of
 * the final length: `Array.from(order, fn)` walks a typed array through its iterator, an
 * iterator result per step (14 MB of garbage for 100,000 findings, read twice by the CLI).
 */
function inOrder<T>(values: readonly T[], order: Int32Array | undefined): T[] {
  if (order === undefined) return values.slice();
  const out = new Array<T>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]!]!;
  return out;
}
