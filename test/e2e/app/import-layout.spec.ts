import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importAws } from '../../../core/import/index.js';
import { REPO_ROOT } from '../support/index.js';
import { expect, test } from './fixtures.js';
import type { TestFile } from './pages/import.js';

// Issue 19, the imported layout: after File > Import at 1280x800 (the report beside the
// design), every imported node is in full view, under no panel, containers whole, and no
// two containers overlap; a design that fits at the legible zoom opens at it.

/** The zoom below which 13 px labels are no longer legible (renderer/canvas/viewport.ts). */
const LEGIBLE_ZOOM = 0.75;
/** The lowest zoom a view the app picks may use, in the far view (renderer/canvas/viewport.ts PATH_ZOOM). */
const PATH_ZOOM = 0.3;

const filesOf = (folder: string): TestFile[] =>
  readdirSync(join(REPO_ROOT, 'test', 'fixtures', 'import', folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, text: readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'import', folder, name), 'utf8') }));

test.use({ viewport: { width: 1280, height: 800 } });

for (const { folder, vpcs } of [
  // Two VPCs of two accounts, peered: once placed off-screen beside the first.
  { folder: 'aws', vpcs: 2 },
  // One dual-stack VPC with IPv6-only subnets and their instances.
  { folder: 'aws-ipv6', vpcs: 1 },
]) {
  test(`an import of test/fixtures/import/${folder} shows every node it imported, containers whole and apart`, async ({ importing }) => {
    const files = filesOf(folder);
    const expected = importAws(files).topology;
    expect(expected.nodes.filter((n) => n.kind === 'vpc')).toHaveLength(vpcs);
    await importing.openEditor();
    await importing.openFromFileMenu();
    await importing.pick(files);
    await importing.confirm();
    await expect(importing.dialog).toHaveCount(0);
    await expect(importing.report).toBeVisible();
    expect(await importing.doc()).toEqual(JSON.parse(JSON.stringify(expected)));

    // The view settles (the import may re-fit it, animated): then every node is in full view,
    // under no panel, and every container whole inside the canvas, not only its header.
    const ids = expected.nodes.map((n) => n.id);
    const containers = expected.nodes.filter((n) => n.kind === 'vpc' || n.kind === 'subnet').map((n) => n.id);
    await expect
      .poll(async () => {
        await importing.settleViewport();
        return [...(await importing.hiddenNodes(ids)), ...(await importing.outsideCanvas(containers)).map((id) => `${id} is not whole in the canvas`)];
      }, { message: folder })
      .toEqual([]);
    // Nothing drawn outside its container, no two siblings (VPCs among them) overlapping.
    expect(await importing.drawingProblems()).toEqual([]);
    await importing.screenshot(`import-layout-${folder}`);
    expect(await importing.zoom()).toBeGreaterThanOrEqual(PATH_ZOOM);
    expect(importing.consoleErrors).toEqual([]);
  });
}

test('an import that fits at the legible zoom opens at it, not zoomed out', async ({ importing }) => {
  const files = filesOf('aws-ipv6').filter((f) => f.name === 'describe-vpcs.json' || f.name === 'describe-internet-gateways.json');
  await importing.openEditor();
  await importing.openFromFileMenu();
  await importing.pick(files);
  await importing.confirm();
  await expect(importing.report).toBeVisible();
  await importing.settleViewport();
  expect(await importing.hiddenNodes(['vpc-0d6000000000000a1', 'igw-0d6000000000000a1'])).toEqual([]);
  expect(await importing.zoom()).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
});
