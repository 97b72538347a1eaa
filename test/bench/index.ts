/**
 * `npm run bench`: runs every benchmark module listed here, one after the other (never in
 * parallel: the figures are wall times on a shared machine), and prints one figures table.
 * Exits 1 when a figure misses its target. To add a benchmark, export `bench: BenchModule`
 * from test/bench/<area>.bench.ts (or a folder of its own, as floor/) and add one line to BENCHMARKS.
 * `npm run bench -- validate proxy` runs only the named benchmarks.
 */
import type { BenchFigure, BenchModule } from './bench.js';

const BENCHMARKS: (() => Promise<{ bench: BenchModule }>)[] = [
  () => import('./validate.bench.js'),
  () => import('./cli.bench.js'),
  () => import('./transports.bench.js'),
  () => import('./proxy.bench.js'),
  () => import('./floor/floor.bench.js'),
  () => import('./floor/floor-tls.bench.js'),
  () => import('./lab.bench.js'),
  () => import('./tls.bench.js'),
  () => import('./canvas.bench.js'),
  () => import('./export.bench.js'),
  () => import('./kernel.bench.js'),
];

function formatValue(figure: BenchFigure): string {
  const digits = figure.value >= 100 ? 0 : figure.value >= 10 ? 1 : 2;
  return `${figure.value.toFixed(digits)} ${figure.unit}`.trim();
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

async function main(): Promise<void> {
  const rows: string[][] = [['bench', 'case', 'measure', 'value', 'spread', 'target']];
  let missed = 0;
  const only = process.argv.slice(2);
  for (const load of BENCHMARKS) {
    const { bench } = await load();
    if (only.length > 0 && !only.includes(bench.name)) continue;
    console.error(`running ${bench.name}...`);
    for (const figure of await bench.run()) {
      const target = figure.target === undefined ? '' : `${figure.target} ${figure.ok ? 'ok' : 'MISSED'}`;
      if (figure.ok === false) missed++;
      rows.push([bench.name, figure.case, figure.measure, formatValue(figure), figure.spread ?? '', target]);
    }
  }
  printTable(rows);
  if (missed > 0) {
    console.error(`${missed} figure${missed === 1 ? '' : 's'} missed the target`);
    process.exitCode = 1;
  }
}

await main();
