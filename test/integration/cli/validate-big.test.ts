/**
 * `topolab validate` of the benchmark's 100,000-subnet plan (test/bench/cli.bench.ts), as a
 * real process on the built CLI (dist/core/cli/bin.cjs): the fast path (zod-free loader,
 * unsealed design, chunked output, findings built when written) must print exactly what the
 * full zod path prints, byte for byte, in text (`--all`, and the default grouped report) and
 * `--json`, and `--all` and `--json` exactly what the CLI printed before it was made faster
 * (those pinned hashes were taken from main at c312eb5 on these very files, when the report
 * printed every diagnostic; 'warnings grouped' is the report since it groups big codes).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../core/cli/commands/validate.js';
import { safeParseTopology, serializeTopology } from '../../../core/model/load.js';
import { validateTopology } from '../../../core/validate/index.js';
import { generatePlan } from '../../bench/validate.bench.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/core/cli/bin.cjs');

/** sha256 of stdout of `topolab validate <case>.topolab.json [--all | --json]` (run in the file's folder); text and json from main at c312eb5. */
const PINNED: Record<string, string> = {
  'tables text': 'be695303ed9de0058a96b36b31e8ca2cf3769872f5627b2e22772318f38bcbab',
  'tables grouped': 'be695303ed9de0058a96b36b31e8ca2cf3769872f5627b2e22772318f38bcbab',
  'tables json': '60326e4e048106d4366a2fd8fe472ccfdf06667fcd0f234977febfeaa38f31b8',
  'warnings text': '3e9e3f24a2382f5a1339b6332defde608770bc64d0c66b849dd9a7901adbb902',
  'warnings grouped': 'f93c0c29bc8e163219be90bdf93d00080182e09fa929783d87716ec95ec600a5',
  'warnings json': 'ee7ff1930df14174b33a63c350ab2f8b143f74345ffe9df10aa1a787ea035b52',
};

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'topolab-validate-big-'));
  const plan = generatePlan(100_000);
  writeFileSync(join(dir, 'tables.topolab.json'), serializeTopology(plan));
  writeFileSync(join(dir, 'warnings.topolab.json'), serializeTopology({ ...plan, nodes: plan.nodes.filter((node) => node.kind !== 'route-table') }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('topolab validate of 100,000 subnets', () => {
  for (const name of ['tables', 'warnings'] as const) {
    for (const form of ['text', 'grouped', 'json'] as const) {
      const flags = { text: ['--all'], grouped: [], json: ['--json'] }[form];
      it(`prints the same ${form === 'json' ? '--json' : form === 'text' ? 'text with --all' : 'grouped report'} as the full zod path${form === 'grouped' ? '' : ' and as before'} (${name === 'tables' ? 'main route tables' : 'a warning per subnet'})`, { timeout: 120_000 }, () => {
        const file = `${name}.topolab.json`;
        const result = spawnSync(process.execPath, [BIN, 'validate', file, ...flags], {
          cwd: dir,
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
          env: { ...process.env, NO_COLOR: '1' },
        });
        expect(result.stderr).toBe('');
        const parsed = safeParseTopology(readFileSync(join(dir, file), 'utf8'));
        if (!parsed.ok) throw new Error('the generated plan does not load');
        const diagnostics = validateTopology(parsed.topology);
        if (name === 'tables') expect(diagnostics).toEqual([]);
        else expect(diagnostics.length).toBeGreaterThanOrEqual(100_000);
        expect(result.status).toBe(diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
        const expected = form === 'json' ? `${JSON.stringify({ diagnostics })}\n` : formatDiagnostics(file, diagnostics, false, { all: form === 'text' });
        // Compared as hashes: a 30 MB string diff would drown the report.
        expect(sha256(result.stdout)).toBe(sha256(expected));
        expect(sha256(result.stdout), 'output changed since main at c312eb5 (or the bench plan generator changed)').toBe(PINNED[`${name} ${form}`]);
      });
    }
  }
});
