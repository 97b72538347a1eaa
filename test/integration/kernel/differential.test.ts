import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import { formatAgreement, runDifferential, type DifferentialResult } from '../../../core/runtime/kernel/differential.js';
import { kernelLabSupport } from '../../../core/runtime/kernel/support.js';
import { CASES, variant } from '../../unit/routing/trace-filter-cases.js';

const ROOT = new URL('../../../', import.meta.url);

/** Every example and fixture design: the corpus the issue names. */
function corpus(): { name: string; path: URL }[] {
  const out: { name: string; path: URL }[] = [];
  for (const folder of ['examples/', 'test/fixtures/diagnostics/', 'test/fixtures/export/', 'test/fixtures/lab/', 'test/fixtures/kernel/', 'test/fixtures/routing/']) {
    const names = readdirSync(new URL(folder, ROOT)).filter((n) => n.endsWith('.topolab.json'));
    for (const name of names.sort()) out.push({ name: `${folder.replace(/^test\/fixtures\//, '').replace(/\/$/, '')}/${name.replace('.topolab.json', '')}`, path: new URL(`${folder}${name}`, ROOT) });
  }
  return out;
}

const support = await kernelLabSupport();
if (!support.ok) console.log(`differential test skipped: ${support.reason}`);

describe.skipIf(!support.ok)('trace agrees with the kernel on every flow of every example and fixture', () => {
  it('connects from every addressable node to every listening node on its port: answered exactly when trace says reachable', { timeout: 600_000 }, async () => {
    // Three designs at a time: most of a design's time is blocked flows waiting out their 2 s.
    const designs = corpus();
    const results: DifferentialResult[] = new Array(designs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < designs.length; i = next++) {
        const design = designs[i] as (typeof designs)[number];
        results[i] = await runDifferential(design.name, parseTopology(readFileSync(design.path, 'utf8')));
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    console.log(`\ndifferential agreement (trace verdict vs TCP connect in the kernel lab, 2 s timeout)\n${formatAgreement(results)}`);
    const flows = results.flatMap((r) => r.flows);
    expect(flows.length).toBeGreaterThan(100);
    expect(flows.filter((f) => f.traced === 'reachable').length).toBeGreaterThan(20);
    expect(flows.filter((f) => f.traced === 'blocked').length).toBeGreaterThan(20);
    expect(flows.filter((f) => !f.agree)).toEqual([]);
    // Only the designs of deliberate mistakes may be skipped, which the loopback lab refuses too (the table
    // prints why): the plan full of them, a header no wire can carry, an address that does not parse.
    const skipped = results.filter((r) => r.skipped !== undefined);
    expect(skipped.map((r) => r.design)).toEqual(['examples/broken-plan', 'export/hostile-names', 'export/k8s-names']);
  });

  it('agrees on every variant of the security-group issue\'s trace cases (groups, ACLs, replies, references): every pair of each', { timeout: 600_000 }, async () => {
    const variants = CASES.filter((c) => c.mutate !== undefined).map((c) => ({ name: `filter case: ${c.name}`, topology: variant(c.mutate as NonNullable<typeof c.mutate>) }));
    const results: DifferentialResult[] = new Array(variants.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < variants.length; i = next++) {
        const item = variants[i] as (typeof variants)[number];
        results[i] = await runDifferential(item.name, item.topology);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    console.log(`\ndifferential agreement on the filter trace cases (trace verdict vs TCP connect in the kernel lab, 2 s timeout)\n${formatAgreement(results)}`);
    const flows = results.flatMap((r) => r.flows);
    expect(results.filter((r) => r.skipped !== undefined).map((r) => `${r.design}: ${r.skipped}`)).toEqual([]);
    expect(flows.filter((f) => f.traced === 'reachable').length).toBeGreaterThan(20);
    expect(flows.filter((f) => f.traced === 'blocked').length).toBeGreaterThan(20);
    expect(flows.filter((f) => !f.agree)).toEqual([]);
  });
});
