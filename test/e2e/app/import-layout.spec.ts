import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importAws } from '../../../core/import/index.js';
import { REPO_ROOT } from '../support/index.js';
import { expect, test } from './fixtures.js';
import type { TestFile } from './pages/import.js';

// Issue 19, the imported layout: after File > Import at 1280x800 (the report beside the
// design), every imported node is in full view, under no panel, and no two containers
// overlap; a design that fits at the legible zoom opens at it.

/** The zoom below which 13 px labels are no longer legible (renderer/canvas/viewport.ts). */
const LEGIBLE_ZOOM = 0.75;
/** The lowest zoom a view the app picks may use, in the far view (renderer/canvas/viewport.ts PATH_ZOOM). */
const PATH_ZOOM = 0.3;

const filesOf = (folder: string): TestFile[] =>
  readdirSync(join(REPO_ROOT, 'test', 'fixtures', 'import', folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, text: readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'import', folder, name), 'utf8') }));

test.use({ viewport: { width: 1280, height: 800 } });

for (const { folder, vpcs, legible } of [
  // Two VPCs of two accounts, peered: once placed off-screen beside the first.
  { folder: 'aws', vpcs: 2, legible: false },
  // One dual-stack VPC with IPv6-only subnets: small enough to open at the legible zoom.
  { folder: 'aws-ipv6', vpcs: 1, legible: true },
]) {
  test(`an import of test/fixtures/import/${folder} shows every node it imported, containers apart`, async ({ importing }) => {
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

    // The view settles (the import may re-fit it, animated): then every node is in full view.
    const ids = expected.nodes.map((n) => n.id);
    await expect.poll(async () => (await importing.settleViewport(), importing.hiddenNodes(ids)), { message: folder }).toEqual([]);
    // Containers whole too, not only their headers.
    expect(await importing.outsideCanvas(expected.nodes.filter((n) => n.kind === 'vpc' || n.kind === 'subnet').map((n) => n.id))).toEqual([]);
    // Nothing drawn outside its container, no two siblings (VPCs among them) overlapping.
    expect(await importing.drawingProblems()).toEqual([]);
    await importing.screenshot(`import-layout-${folder}`);
    const zoom = await importing.zoom();
    if (legible) expect(zoom).toBeGreaterThanOrEqual(LEGIBLE_ZOOM);
    else expect(zoom).toBeGreaterThanOrEqual(PATH_ZOOM);
    expect(importing.consoleErrors).toEqual([]);
  });
}
