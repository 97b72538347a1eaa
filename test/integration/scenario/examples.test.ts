import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTopolab } from '../../support/cli.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const withScenarios = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.topolab.json'))
  .filter((name) => (JSON.parse(readFileSync(EXAMPLES + name, 'utf8')).scenarios ?? []).length > 0)
  .sort();

describe('every example scenario holds (`topolab test`, as CI runs it)', () => {
  it('has examples with scenarios to run', () => {
    expect(withScenarios.length).toBeGreaterThanOrEqual(3);
  });

  it.each(withScenarios)('%s', async (name) => {
    const { code, out, err } = await runTopolab('test', EXAMPLES + name);
    expect(code, out + err).toBe(0);
    expect(out).not.toMatch(/FAIL/);
  });
});
