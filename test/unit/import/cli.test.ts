import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import { runTopolab } from '../../support/cli.js';

/** `topolab import`: the `--json` shape, `--out`, the readable report, and the exit codes (a public contract). */
const fixtures = new URL('../../fixtures/import/', import.meta.url).pathname;
const aws = ['describe-vpcs.json', 'describe-subnets.json', 'describe-instances.json', 'describe-security-groups.json'].map((f) => join(fixtures, 'aws', f));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topolab-import-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('topolab import', () => {
  it('--json prints {design, nodes, ignored} with the design inline when there is no --out', async () => {
    const run = await runTopolab('import', 'aws', ...aws, '--json');
    expect(run.code, run.err).toBe(0);
    const out = JSON.parse(run.out) as { design: unknown; nodes: number; ignored: { type: string; id: string; reason: string }[] };
    expect(Object.keys(out)).toEqual(['design', 'nodes', 'ignored']);
    expect(parseTopology(JSON.stringify(out.design)).nodes).toHaveLength(out.nodes);
    expect(out.ignored).toContainEqual({ type: 'Instance', id: 'i-0old0000000000001', reason: 'terminated: no longer part of the network' });
    for (const entry of out.ignored) expect(Object.keys(entry)).toEqual(['type', 'id', 'reason']);
  });

  it('--out writes the design and --json names it', async () => {
    const target = join(dir, 'out', 'shop.topolab.json');
    const run = await runTopolab('import', 'aws', ...aws, '--out', target, '--json');
    expect(run.code, run.err).toBe(0);
    const out = JSON.parse(run.out) as { design: string; nodes: number };
    expect(out.design).toBe(target);
    expect(parseTopology(await readFile(target, 'utf8')).nodes).toHaveLength(out.nodes);
  });

  it('without --json: the design on stdout, the report (ports and their source, ignored) on stderr', async () => {
    const run = await runTopolab('import', 'aws', ...aws);
    expect(run.code, run.err).toBe(0);
    expect(parseTopology(run.out).schema).toBe('topolab/1');
    expect(run.err).toMatch(/^imported \d+ nodes/);
    expect(run.err).toMatch(/i-0db00000000000001: 5432 \(the single TCP port its security groups let in\)/);
    expect(run.err).toMatch(/Instance i-0old0000000000001: terminated/);
  });

  it('exits 1 when the imported network has errors, and says which', async () => {
    const overlapping = join(dir, 'overlap.json');
    await writeFile(
      overlapping,
      JSON.stringify({
        Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }],
        Subnets: [
          { SubnetId: 'subnet-1', VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' },
          { SubnetId: 'subnet-2', VpcId: 'vpc-1', CidrBlock: '10.0.0.0/25' },
        ],
      }),
    );
    const run = await runTopolab('import', 'aws', overlapping, '--out', join(dir, 'overlap.topolab.json'));
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/Errors \(\d+\)\n {2}subnet-overlap/);
  });

  it('imports a Terraform state', async () => {
    const run = await runTopolab('import', 'terraform', join(fixtures, 'terraform', 'state.json'), '--json');
    expect(run.code, run.err).toBe(0);
    expect((JSON.parse(run.out) as { nodes: number }).nodes).toBe(9);
  });
});
