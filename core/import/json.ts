import type { z } from 'zod';
import { findJsonErrorOffset } from '../model/json-error.js';
import { lineColumnAt } from '../model/load.js';
import { ImportInputError } from './errors.js';

/**
 * The largest input file an import reads, in bytes. AWS CLI output and `terraform show
 * -json` are read whole (see docs/import.md): the bound keeps memory bounded too.
 */
export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;

/** Parses one input file's text; a syntax error names the file, line and column. */
export function parseImportJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const { offset, reason } = findJsonErrorOffset(text);
    const { line, column } = lineColumnAt(text, offset);
    throw new ImportInputError(file, [], `invalid JSON at line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * Checks a value against a shape; the first problem becomes an `ImportInputError` naming
 * the file and the full JSON path (`base` is where `value` sits in the file).
 */
export function checkShape<S extends z.ZodType>(schema: S, value: unknown, file: string, base: readonly (string | number)[]): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...base, ...(issue?.path ?? []).map((p) => (typeof p === 'number' ? p : String(p)))];
  throw new ImportInputError(file, path, issue ? describe(issue) : 'unexpected shape');
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}${issue.message.includes('received') ? `, ${issue.message.slice(issue.message.indexOf('received'))}` : ''}`;
  return issue.message;
}
