import { edgeTargetKinds } from '../../../core/model/index.js';
import { expect, test } from './fixtures.js';

// Issue 16: a handle that can never start an allowed connection is not drawn (the rules
// are the kind descriptors': who sends, and to whom), and dropping a connection still works
// on every handle that is drawn.
test('only handles that can take part in an allowed connection are drawn', async ({ editor }) => {
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(editor.node('visitor')).toBeVisible();
  const shown = async (id: string, side: 'in' | 'out') => editor.byTestId(`handle-${side}-${id}`).isVisible();
  // A client only sends: no in-handle.
  expect(await shown('visitor', 'out')).toBe(true);
  expect(await shown('visitor', 'in')).toBe(false);
  // Gateways are route targets, chosen in the route editor: no handle at all.
  for (const id of ['igw', 'nat']) for (const side of ['in', 'out'] as const) expect(await shown(id, side), `${id} ${side}`).toBe(false);
  // A server receives; it has an out-handle exactly when its descriptor lets it send.
  expect(await shown('app-a', 'in')).toBe(true);
  expect(await shown('app-a', 'out')).toBe(edgeTargetKinds('server').length > 0);
  // Balancers, route tables and subnets (associations) and VPCs (peerings): both.
  for (const id of ['web-lb', 'rt-public', 'public-a', 'web-vpc']) for (const side of ['in', 'out'] as const) expect(await shown(id, side), `${id} ${side}`).toBe(true);
  // A hidden handle takes no drag: pressing where it is starts no connection line.
  const box = await editor.box(editor.byTestId('handle-in-visitor'));
  await editor.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await editor.page.mouse.down();
  await editor.page.mouse.move(box.x - 60, box.y + 40, { steps: 4 });
  await expect(editor.page.locator('.react-flow__connection')).toHaveCount(0);
  await editor.page.mouse.up();
  // Every edge of the model is still drawn, and so are associations (route table -> subnet).
  const doc = await editor.doc();
  for (const edge of doc.edges) await expect(editor.byTestId(`rf__edge-${edge.id}`)).toBeVisible();
  await expect(editor.page.locator('[data-testid^="rf__edge-assoc|"]')).toHaveCount(4);
  // A peering has no handle to drag, yet its two lines are drawn from it.
  await editor.openEditor({ file: 'vpc-peering.topolab.json' });
  const peering = (await editor.doc()).nodes.find((n) => n.kind === 'peering');
  if (!peering) throw new Error('the peering example has no peering');
  expect(await shown(peering.id, 'out')).toBe(false);
  await expect(editor.page.locator(`[data-testid^="rf__edge-peer|${peering.id}|"]`)).toHaveCount(2);
  expect(editor.consoleErrors).toEqual([]);
});
