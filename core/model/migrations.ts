import { SCHEMA_VERSION } from './kinds.js';

/**
 * One step from version N to N + 1, on plain JSON (before the schema check, because the
 * old file does not match the new schema). Keep each step small and pure; never edit a
 * published step, add a new one.
 */
export type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

/** `MIGRATIONS[n]` upgrades a `topolab/n` document to `topolab/n+1`. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  // topolab/1 is the first published version. The first change of the format adds
  // `1: (doc) => ({ ...doc, schema: 'topolab/2', ... })` here.
};

export type MigrationOutcome =
  | { ok: true; document: Record<string, unknown>; from: number }
  | { ok: false; message: string; path: (string | number)[] };

const SCHEMA_PATTERN = /^topolab\/(\d{1,6})$/;

/** Reads the document's `schema` marker and upgrades it to the current version. */
export function migrateDocument(document: Record<string, unknown>): MigrationOutcome {
  const marker = document['schema'];
  if (marker === undefined) {
    return {
      ok: false,
      path: ['schema'],
      message: `missing "schema": a Topolab file starts with "schema": "topolab/${SCHEMA_VERSION}"`,
    };
  }
  const match = typeof marker === 'string' ? SCHEMA_PATTERN.exec(marker) : null;
  if (!match) {
    return {
      ok: false,
      path: ['schema'],
      message: `"schema" is ${JSON.stringify(marker)}, not a Topolab schema marker like "topolab/${SCHEMA_VERSION}"`,
    };
  }
  const version = Number(match[1]);
  if (version > SCHEMA_VERSION) {
    return {
      ok: false,
      path: ['schema'],
      message: `this file was written by a newer Topolab (schema topolab/${version}); this version reads up to topolab/${SCHEMA_VERSION}. Update Topolab to open it.`,
    };
  }
  if (version < 1) {
    return { ok: false, path: ['schema'], message: `unknown schema version topolab/${version}` };
  }
  let current = document;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) {
      return { ok: false, path: ['schema'], message: `no migration from topolab/${v} to topolab/${v + 1}` };
    }
    current = step(current);
  }
  return { ok: true, document: current, from: version };
}
