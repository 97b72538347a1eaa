// The differential test of issue 15: the built-in lab, the nginx export and the HAProxy
// export, each in loopback mode in front of the same lab backends, get the same corpus
// (test/integration/export/differential/corpus.ts); per request the status, the serving
// route, the upstream path and the cache verdict must agree, and per group the
// distribution, the stickiness and the set of serving backends. A difference passes only
// when docs/export.md documents it and the export's report carries its line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Difference } from './differential/compare.js';
import { designFacts } from './differential/design-facts.js';
import { explain, KNOWN_DIFFERENCES } from './differential/known.js';
import { runDesign, type DesignRun } from './differential/run.js';
import { exportDesigns } from './fixtures.js';

const TOOLS = ['nginx', 'haproxy'] as const;
const rows: string[] = [];
const documentedRows: string[] = [];
afterAll(() => {
  const head = `${'design'.padEnd(46)}${'probes'.padStart(7)}  ${'lab/nginx'.padEnd(30)}${'lab/HAProxy'.padEnd(30)}`;
  const note = 'per request: agreeing share; [groups agreeing/checked]; documented differences; undocumented';
  console.log(['Differential agreement', note, head, ...rows, '', 'Documented differences met (docs/export.md id x count)', ...documentedRows].join('\n'));
});

describe('documented differences', () => {
  it('each is listed in docs/export.md by its id', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'export.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## Documented differences'));
    for (const known of KNOWN_DIFFERENCES) expect(section, `docs/export.md lists ${known.tool} ${known.id}`).toMatch(new RegExp(`\\| \`${known.id}\` \\|[^\\n]*${known.tool === 'nginx' ? 'nginx' : 'HAProxy'}`));
  });
});

describe.each(exportDesigns().filter((d) => d.name.includes(process.env['DIFF_ONLY'] ?? '')))('$name', ({ name, topology }) => {
  const facts = designFacts(topology);
  // Each design takes 5-25 s on a loaded 2-core machine; the budget is generous so load alone never fails it.
  it('answers like the lab through nginx and HAProxy in loopback mode', { timeout: 300_000 }, async (context) => {
    if (facts.entries.length === 0) {
      console.log(`${name}: skipped: no balancer, reverse proxy or cache with a backend, nothing for nginx or HAProxy to run`);
      rows.push(`${name.padEnd(46)}${'-'.padStart(7)}  nothing for nginx or HAProxy to run`);
      context.skip();
      return;
    }
    let run: DesignRun;
    try {
      run = await runDesign(facts);
    } catch (error) {
      const message = (error as Error).message;
      if (!message.startsWith('the design cannot run as a lab')) throw error;
      console.log(`${name}: skipped: the lab refuses the design: ${message.split('\n')[1]?.trim() ?? message}`);
      rows.push(`${name.padEnd(46)}${'-'.padStart(7)}  the lab refuses the design`);
      context.skip();
      return;
    }
    const undocumented: string[] = [];
    const cells = TOOLS.map((tool) => {
      const c = run.comparisons[tool];
      let documented = 0;
      const byId = new Map<string, number>();
      for (const d of c.differences) {
        const lab = run.outcomes.lab.get(d.probe.id) ?? { status: 0 };
        const other = run.outcomes[tool].get(d.probe.id) ?? { status: 0 };
        const known = explain(tool, d, lab, other, run.reports[tool]);
        if (known) {
          documented += 1;
          byId.set(known.id, (byId.get(known.id) ?? 0) + 1);
        } else undocumented.push(describe_(tool, d));
      }
      if (byId.size > 0) documentedRows.push(`${name.padEnd(46)}${tool.padEnd(9)}${[...byId].map(([id, n]) => `${id} x${n}`).join(', ')}`);
      const share = `${((100 * c.agreeing) / c.probes).toFixed(1)}%`;
      return `${share} [${c.groupAgreeing}/${c.groupChecks}] ${documented} doc ${c.differences.length - documented} undoc`.padEnd(30);
    });
    rows.push(`${name.padEnd(46)}${String(run.probes.length).padStart(7)}  ${cells.join('')}`);
    expect(run.probes.length, 'at least 200 requests per design').toBeGreaterThanOrEqual(200);
    expect(undocumented, 'differences from the lab that docs/export.md does not list (or whose report line is missing)').toEqual([]);
  });
});

function describe_(tool: string, d: Difference): string {
  return `${tool} ${d.field} ${d.probe.id}: lab ${d.lab} / ${tool} ${d.other}`;
}
