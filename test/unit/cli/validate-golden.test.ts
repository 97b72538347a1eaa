import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { generatePlan } from '../../bench/validate.bench.js';
import { runTopolab } from '../../support/cli.js';
import { plantedPlan } from '../validate/planted-plan.js';

/**
 * `topolab validate` output pinned byte for byte (`--json` and the human report, and the
 * exit code), so a change made for speed cannot change what a user reads: every example
 * and fixture design, in full under test/golden/validate/, and generated plans of the
 * benchmark's shape (with and without route tables, and with planted problems of every
 * address kind) by SHA-256 in test/golden/validate/generated.json (their output runs to
 * megabytes). A generated plan is pinned twice: with `--all` (every diagnostic in full,
 * under the plan's name: the digests taken before the report grouped big codes, unchanged)
 * and as the default report groups it (`<name>, grouped report`).
 * `UPDATE_GOLDEN=1` rewrites the files; review the diff like any code change.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const GOLDEN = join(ROOT, 'test', 'golden', 'validate');
const update = process.env['UPDATE_GOLDEN'] === '1';
const HINT = 'run UPDATE_GOLDEN=1 npx vitest run --project unit test/unit/cli/validate-golden.test.ts if the output changed on purpose, and review the diff';

/** Every design file of examples/ and test/fixtures/, relative to the root. */
function designFiles(): string[] {
  const out: string[] = [];
  for (const folder of ['examples', join('test', 'fixtures')]) {
    for (const entry of readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.topolab.json')) out.push(relative(ROOT, join(entry.parentPath, entry.name)));
    }
  }
  return out.sort();
}

/**
 * `validate FILE --json` of each file, run once: the generated designs pin two reports
 * (grouped and `--all`) beside the same --json output, which is the same run twice.
 */
const jsonRuns = new Map<string, ReturnType<typeof runTopolab>>();

/** What `validate FILE` and `validate FILE --json` print, and their exit codes, as one text. */
async function validateOutput(file: string, ...flags: string[]): Promise<string> {
  const human = await runTopolab('validate', file, ...flags);
  let jsonRun = jsonRuns.get(file);
  if (!jsonRun) {
    jsonRun = runTopolab('validate', file, '--json');
    jsonRuns.set(file, jsonRun);
  }
  const json = await jsonRun;
  return `exit ${human.code} (--json: ${json.code})\n--- stderr\n${human.err}${json.err}--- --json\n${json.out}--- report\n${human.out}`;
}

const folder = mkdtempSync(join(tmpdir(), 'topolab-validate-golden-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('validate output is pinned', () => {
  it.each(designFiles())('%s', async (file) => {
    const output = await validateOutput(file);
    const golden = join(GOLDEN, `${file.replaceAll('/', '__')}.txt`);
    if (update) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(golden, output);
    }
    expect(output, `${file}: ${HINT}`).toBe(readFileSync(golden, 'utf8'));
  });

  const plan = generatePlan(10_000);
  const generated: [string, Topology][] = [
    ['10,000 subnets with route tables', plan],
    ['10,000 subnets, no route tables (a warning each)', { ...plan, nodes: plan.nodes.filter((n) => n.kind !== 'route-table') }],
    ...(['aws', 'azure', 'gcp', 'generic'] as const).map((provider): [string, Topology] => [`10,000 subnets with planted problems (${provider})`, plantedPlan(10_000, provider)]),
  ];
  it.each(generated)('%s', async (name, topology) => {
    const file = join(folder, `${name.replace(/[^a-z0-9]+/gi, '-')}.topolab.json`);
    writeFileSync(file, serializeTopology(topology));
    const manifest = join(GOLDEN, 'generated.json');
    for (const [key, flags] of [[name, ['--all']], [`${name}, grouped report`, []]] as const) {
      // The summary line names the file: pin it under a fixed name.
      const output = (await validateOutput(file, ...flags)).replaceAll(file, 'design.topolab.json');
      const digest = { bytes: Buffer.byteLength(output), sha256: createHash('sha256').update(output).digest('hex') };
      let pinned: Record<string, typeof digest> = {};
      try {
        pinned = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, typeof digest>;
      } catch {
        // No manifest yet: only UPDATE_GOLDEN=1 writes it.
      }
      if (update) {
        pinned[key] = digest;
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(manifest, `${JSON.stringify(pinned, null, 2)}\n`);
      }
      expect(digest, `${key}: ${HINT}`).toEqual(pinned[key]);
    }
  }, 60_000);
});
