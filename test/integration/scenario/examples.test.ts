import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../core/cli/program.js';
import type { CliStreams } from '../../../core/cli/streams.js';

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
    let stdout = '';
    const streams: CliStreams = { colour: false, exitCode: 0, out: (t) => void (stdout += t), err: (t) => void (stdout += t) };
    const code = await runCli(['node', 'topolab', 'test', EXAMPLES + name], streams);
    expect(code, stdout).toBe(0);
    expect(stdout).not.toMatch(/FAIL/);
  });
});
