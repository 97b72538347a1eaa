/**
 * CLI benchmark: whole processes, as a user runs them, each timed against its named
 * reference in the same run.
 * - Cold start: `topolab --version`, `info 10.0.0.0/16` and `validate` of a small example
 *   against a bare `node -e 0`. Target: at most 1.5x.
 * - `topolab validate` of 100,000 subnets (the plan of validate.bench.ts, a 20 MB file)
 *   (a) with its route tables (a main one per VPC: no problem) and (b) without any (a
 *   `route-table-missing` warning per subnet, which the report groups: the first 20 in full,
 *   then one line for the rest), against a fresh `node` that reads the same file and
 *   `JSON.parse`s it. Target: at most 3x. Also (c), no target: (b) with `--json`, which
 *   writes every one of the 100,000 diagnostics (30 MB).
 * Each figure names the 1-minute load average before and after its rounds.
 * Runs are interleaved (reference, command, reference, command, ...) so load from other
 * processes on a shared machine hits both alike; each round gives one ratio, and the
 * figure is the median ratio of the rounds, with the middle half of them as its spread.
 * Output goes to /dev/null, as `> /dev/null` would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestRankPercentile } from '../../core/runtime/metrics/percentile.js';
import { serializeTopology } from '../../core/model/load.js';
import type { BenchFigure, BenchModule } from './bench.js';
import { generatePlan } from './validate.bench.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/core/cli/bin.cjs');
const SMALL = join(ROOT, 'examples/two-tier-web.topolab.json');
const SUBNETS = 100_000;

/** Wall time in ms of one process; throws when it fails (exit codes 0 and 1 are results). */
function timeProcess(args: readonly string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.error || (result.status !== 0 && result.status !== 1)) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.error?.message ?? result.stderr}`);
  return ms;
}

/** Median and middle half of paired ratios command / reference over `rounds` interleaved rounds (after one warm-up round), with the load average around them. */
function pairedRatio(rounds: number, reference: readonly string[], command: readonly string[]): { median: number; low: number; high: number; referenceMs: number; commandMs: number; load: string } {
  const loadBefore = loadavg()[0]!;
  timeProcess(reference);
  timeProcess(command);
  const ratios: number[] = [];
  const references: number[] = [];
  const commands: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always runs right after the other.
    let r: number;
    let c: number;
    if (i % 2 === 0) {
      r = timeProcess(reference);
      c = timeProcess(command);
    } else {
      c = timeProcess(command);
      r = timeProcess(reference);
    }
    references.push(r);
    commands.push(c);
    ratios.push(c / r);
  }
  const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
  const r = sorted(ratios);
  return {
    median: nearestRankPercentile(r, 0.5),
    low: nearestRankPercentile(r, 0.25),
    high: nearestRankPercentile(r, 0.75),
    referenceMs: nearestRankPercentile(sorted(references), 0.5),
    commandMs: nearestRankPercentile(sorted(commands), 0.5),
    load: `${loadBefore.toFixed(1)}-${loadavg()[0]!.toFixed(1)}`,
  };
}

/** The 100,000-subnet plan, as is (main route tables) or without its route tables (a warning per subnet). */
function planText(routeTables: boolean): string {
  const plan = generatePlan(SUBNETS);
  return serializeTopology(routeTables ? plan : { ...plan, nodes: plan.nodes.filter((node) => node.kind !== 'route-table') });
}

const PARSE = "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))";

async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const figure = (label: string, measure: string, ratio: ReturnType<typeof pairedRatio>, target: number | undefined): BenchFigure => ({
    case: label,
    measure: `${measure}: ${ratio.commandMs.toFixed(0)} vs ${ratio.referenceMs.toFixed(0)} ms (load ${ratio.load})`,
    value: ratio.median,
    unit: 'x',
    spread: `${ratio.low.toFixed(2)}-${ratio.high.toFixed(2)}x`,
    ...(target === undefined ? {} : { target: `<= ${target}`, ok: ratio.median <= target }),
  });
  const NODE = ['-e', '0'];
  for (const [label, args] of [
    ['topolab --version', ['--version']],
    ['topolab info 10.0.0.0/16', ['info', '10.0.0.0/16']],
    ['topolab validate (small file)', ['validate', SMALL]],
  ] as const) {
    figures.push(figure(label, 'cold start / node -e 0', pairedRatio(15, NODE, [CLI, ...args]), 1.5));
  }
  const dir = mkdtempSync(join(tmpdir(), 'topolab-cli-bench-'));
  try {
    const files = { tables: join(dir, 'tables.topolab.json'), warnings: join(dir, 'warnings.topolab.json') };
    writeFileSync(files.tables, planText(true));
    writeFileSync(files.warnings, planText(false));
    for (const [label, file, flags, target] of [
      ['validate 100,000 subnets, main route tables', files.tables, [], 3],
      ['validate 100,000 subnets, a warning each (grouped report)', files.warnings, [], 3],
      ['validate 100,000 subnets, a warning each, --json (every one written)', files.warnings, ['--json'], undefined],
    ] as const) {
      figures.push(figure(label, 'process / node JSON.parse', pairedRatio(7, ['-e', PARSE, file], [CLI, 'validate', file, ...flags]), target));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/** Registered in test/bench/index.ts. */
export const bench: BenchModule = { name: 'cli', run };
