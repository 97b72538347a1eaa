import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCompose } from '../../../core/export/compose/index.js';
import { exportDesigns, ROOT } from './designs.js';

/**
 * Every compose.yaml the export writes is valid against the Compose specification's JSON
 * schema (compose-spec/compose-spec `schema/compose-spec.json`, as shipped by the `dclint`
 * package, MIT): docker compose itself is not available here, and this schema is what it
 * checks a file against before anything else.
 */
// The package's `exports` do not list the schema file: read it from its installed place.
const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'dclint', 'schemas', 'compose.schema.json'), 'utf8')) as Record<string, unknown>;
// The spec uses the `deprecated` annotation and a few custom formats; strict mode would refuse those, not our files.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
// It names draft-07 by its https address, which Ajv knows only as http: the draft is the same.
const validate = ajv.compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' });

function problems(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

describe('the Compose specification schema', () => {
  it('is the real one: it refuses an unknown service key, a malformed depends_on and a service name with a space', () => {
    expect(validate({ services: { web: { image: 'nginx', imagee: 'x' } } })).toBe(false);
    expect(validate({ services: { web: { image: 'nginx', depends_on: 5 } } })).toBe(false);
    expect(validate({ services: { 'web server': { image: 'nginx' } } })).toBe(false);
    expect(validate({ name: 'ok', services: { web: { image: 'nginx', ports: ['127.0.0.1:8080:80'] } } })).toBe(true);
  });

  it.each(exportDesigns().map((d) => [d.name, d.topology] as const))('%s: compose.yaml is valid', (_name, topology) => {
    const file = renderCompose(topology).files.find((f) => f.path === 'compose.yaml');
    const document = parse(file?.content ?? '') as unknown;
    const ok = validate(document);
    expect(problems(validate.errors)).toBe('');
    expect(ok).toBe(true);
  });
});
