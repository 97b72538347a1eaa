import { formatPath } from '../model/load.js';

/** Why an input file could not be read: the file, the JSON path inside it, and a sentence. */
export class ImportInputError extends Error {
  constructor(
    readonly file: string,
    readonly path: readonly (string | number)[],
    readonly reason: string,
  ) {
    super(`${file}${path.length > 0 ? ` at ${formatPath(path)}` : ''}: ${reason}`);
    this.name = 'ImportInputError';
  }
}

/** A result instead of a throw, for callers that keep going (the app, the service). */
export type SafeResult<T> = { ok: true; value: T } | { ok: false; error: ImportInputError };

/** Runs a throwing import step and returns its result or its `ImportInputError`; any other error is a bug and is rethrown. */
export function safely<T>(step: () => T): SafeResult<T> {
  try {
    return { ok: true, value: step() };
  } catch (error) {
    if (error instanceof ImportInputError) return { ok: false, error };
    throw error;
  }
}
