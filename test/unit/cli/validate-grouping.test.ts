import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostics, GROUP_NODES, GROUP_OVER, GROUP_SHOWN, writeDiagnosticsJson } from '../../../core/cli/commands/validate.js';
import { serializeTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import { validateTopology, validateTopologyList, type Diagnostic } from '../../../core/validate/index.js';
import { generatePlan } from '../../bench/validate.bench.js';
import { runTopolab } from '../../support/cli.js';

const missing = (i: number, first = `s${i}`): Diagnostic => ({
  code: 'route-table-missing',
  severity: 'warning',
  message: `Subnet "${first}" has no route table`,
  nodeIds: [first, 'vpc'],
  path: `nodes[${i}]`,
});
const other = (i: number): Diagnostic => ({ code: 'vpc-not-private', severity: 'warning', message: `VPC ${i} is public`, nodeIds: [`v${i}`] });
const error = (i: number): Diagnostic => ({ code: 'subnet-overlap', severity: 'error', message: `overlap ${i}`, nodeIds: [`o${i}`], path: `nodes[${i}].cidr` });

/** How many diagnostics of `code` the report printed in full (their first line). */
const printed = (report: string, code: string): number => report.split('\n').filter((line) => line.startsWith('  ') && line.includes(` ${code}  `) && !line.includes('more not shown')).length;

describe('the validate report groups a code with many findings', () => {
  it(`prints a code with at most ${GROUP_OVER} findings in full, as before`, () => {
    const diagnostics = Array.from({ length: GROUP_OVER }, (_, i) => missing(i));
    const report = formatDiagnostics('f', diagnostics, false);
    expect(printed(report, 'route-table-missing')).toBe(GROUP_OVER);
    expect(report).not.toContain('more not shown');
    expect(report).toBe(formatDiagnostics('f', diagnostics, false, { all: true }));
  });

  it(`shows the first ${GROUP_SHOWN} of a code with more, then one line with the count of the rest and their first nodes; the counts stay exact`, () => {
    const total = 250;
    // Errors, then warnings of two codes interleaved, as the validator sorts them.
    const diagnostics = [...Array.from({ length: 3 }, (_, i) => error(i))];
    for (let i = 0; i < total; i++) {
      diagnostics.push(missing(i));
      if (i % 50 === 0) diagnostics.push(other(i));
    }
    const report = formatDiagnostics('f', diagnostics, false);
    const lines = report.split('\n');
    expect(lines[0]).toBe('Errors (3)');
    expect(lines).toContain(`Warnings (${total + 5})`);
    expect(printed(report, 'subnet-overlap')).toBe(3);
    expect(printed(report, 'vpc-not-private')).toBe(5);
    expect(printed(report, 'route-table-missing')).toBe(GROUP_SHOWN);
    // The first GROUP_SHOWN in file order, in full, with their nodes and path.
    for (let i = 0; i < GROUP_SHOWN; i++) expect(report).toContain(`  warning route-table-missing  Subnet "s${i}" has no route table\n          nodes: s${i}, vpc  at nodes[${i}]\n`);
    expect(report).not.toContain(`Subnet "s${GROUP_SHOWN}" has`);
    const hiddenNodes = Array.from({ length: GROUP_NODES }, (_, k) => `s${GROUP_SHOWN + k}`).join(', ');
    // The grouped line closes the warnings, before the blank line and the summary.
    expect(report.endsWith(
      `  warning route-table-missing  ${total - GROUP_SHOWN} more not shown (${total} in all, the first ${GROUP_SHOWN} above; --all or --json lists every one)\n` +
        `          first nodes: ${hiddenNodes}, ...\n\nf: 3 errors, ${total + 5} warnings, 0 info\n`,
    )).toBe(true);
  });

  it('names each first node of the hidden ones once', () => {
    const diagnostics = Array.from({ length: GROUP_OVER + 5 }, (_, i) => missing(i, i < GROUP_SHOWN ? `s${i}` : `same-${i % 2}`));
    const report = formatDiagnostics('f', diagnostics, false);
    expect(report).toContain(`  warning route-table-missing  ${GROUP_OVER + 5 - GROUP_SHOWN} more not shown`);
    expect(report).toContain('          first nodes: same-0, same-1, ...\n');
  });

  it('prints every diagnostic with { all: true } (--all), and --json always lists every one', () => {
    const diagnostics = Array.from({ length: 500 }, (_, i) => missing(i));
    const all = formatDiagnostics('f', diagnostics, false, { all: true });
    expect(printed(all, 'route-table-missing')).toBe(500);
    expect(all).not.toContain('more not shown');
    let json = '';
    writeDiagnosticsJson(diagnostics, (text) => (json += text));
    expect(json).toBe(`${JSON.stringify({ diagnostics })}\n`);
  });
});

describe('topolab validate of a plan with a warning per subnet', () => {
  const folder = mkdtempSync(join(tmpdir(), 'topolab-validate-grouping-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const plan = generatePlan(300);
  const bare: Topology = { ...plan, nodes: plan.nodes.filter((node) => node.kind !== 'route-table') };
  const file = join(folder, 'bare.topolab.json');
  writeFileSync(file, serializeTopology(bare));
  const expected = validateTopology(bare);

  it('groups the text report, and --all and --json give every diagnostic, exactly as validateTopology finds them', async () => {
    expect(expected.filter((d) => d.code === 'route-table-missing')).toHaveLength(300);
    const grouped = await runTopolab('validate', file);
    const all = await runTopolab('validate', file, '--all');
    const json = await runTopolab('validate', file, '--json');
    for (const run of [grouped, all, json]) expect(run.code).toBe(1); // the NAT gateway's subnet is private: an error
    expect(printed(grouped.out, 'route-table-missing')).toBe(GROUP_SHOWN);
    expect(grouped.out).toContain(`  warning route-table-missing  ${300 - GROUP_SHOWN} more not shown (300 in all`);
    expect(grouped.out).toContain(`${file}: 1 error, 300 warnings, 0 info\n`);
    expect(all.out).toBe(formatDiagnostics(file, expected, false, { all: true }));
    expect(printed(all.out, 'route-table-missing')).toBe(300);
    expect(json.out).toBe(`${JSON.stringify({ diagnostics: expected })}\n`);
  });

  it('validateTopologyList reads the same diagnostics one at a time, building a described one afresh each time', () => {
    const list = validateTopologyList(bare);
    expect(list.length).toBe(expected.length);
    expect(list.toArray()).toEqual(expected);
    for (let i = 0; i < list.length; i++) {
      expect(list.severityAt(i)).toBe(expected[i]!.severity);
      expect(list.codeAt(i)).toBe(expected[i]!.code);
      expect(list.at(i)).toEqual(expected[i]);
    }
    const last = list.length - 1;
    expect(list.codeAt(last)).toBe('route-table-missing');
    expect(list.at(last)).not.toBe(list.at(last));
  });
});
