/**
 * The `schema` marker of the files this version writes, and its number. Plain constants in
 * a module of their own: the migrations and the loader's fast path read them without
 * loading zod (schema.ts re-exports them).
 */
export const CURRENT_SCHEMA = 'topolab/1';
export const SCHEMA_VERSION = 1;
