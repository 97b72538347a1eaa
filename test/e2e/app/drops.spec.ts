import { expect, test } from './fixtures.js';
import { EditorPage } from './pages/editor.js';

// Issue 16, drops: every dropped node is drawn inside the container the model puts it in,
// new containers fit the view and land in free space, and nothing overlaps.
test('drops land inside their container, containers fit the view and nothing overlaps', async ({ page, served }) => {
  // A folder of its own: no other test's unsaved work (a recovery banner) moves the canvas.
  const editor = new EditorPage(page, served.url);
  await editor.openEditor();
  await expect(editor.byTestId('empty-canvas')).toBeVisible();
  const canvas = await editor.box(editor.canvas);
  const within = (outer: { x: number; y: number; width: number; height: number }, inner: typeof outer) =>
    inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

  // The first VPC, dropped near the right edge, is no wider than the canvas and lies in it.
  await editor.drop('vpc', { x: canvas.width - 120, y: 200 });
  await expect(editor.node('vpc-1')).toBeVisible();
  expect(within(canvas, await editor.box(editor.node('vpc-1')))).toBe(true);

  // A subnet, then a second one dropped right on the first: side by side, apart.
  const vpc = await editor.box(editor.node('vpc-1'));
  await editor.drop('subnet', { x: vpc.x - canvas.x + 180, y: vpc.y - canvas.y + 150 });
  await expect(editor.node('subnet-1')).toBeVisible();
  const first = await editor.box(editor.node('subnet-1'));
  await editor.drop('subnet', { x: first.x - canvas.x + first.width / 2, y: first.y - canvas.y + first.height / 2 });
  await expect(editor.node('subnet-2')).toBeVisible();
  expect((await editor.modelNode('subnet-2'))['parent']).toBe('vpc-1');
  const handles = async (id: string) => Promise.all([editor.box(editor.byTestId(`handle-in-${id}`)), editor.box(editor.byTestId(`handle-out-${id}`))]);
  const [a, b] = [await handles('subnet-1'), await handles('subnet-2')];
  for (const h of a) for (const k of b) expect(Math.hypot(h.x - k.x, h.y - k.y), 'handles of the two subnets').toBeGreaterThan(12);

  // A server dropped 36 px inside the subnet's right edge: drawn inside the subnet and the VPC.
  const subnet = await editor.box(editor.node('subnet-1'));
  await editor.drop('server', { x: subnet.x - canvas.x + subnet.width - 36, y: subnet.y - canvas.y + subnet.height - 36 });
  await expect(editor.node('web-1')).toBeVisible();
  expect((await editor.modelNode('web-1'))['parent']).toBe('subnet-1');
  expect(within(await editor.box(editor.node('subnet-1')), await editor.box(editor.node('web-1')))).toBe(true);
  expect(within(await editor.box(editor.node('vpc-1')), await editor.box(editor.node('web-1')))).toBe(true);

  // More servers than the subnet holds: it grows (pushing its neighbour) rather than spill.
  for (let i = 0; i < 4; i++) {
    const box = await editor.box(editor.node('subnet-1').locator('.container-header'));
    await editor.drop('server', { x: box.x - canvas.x + 100, y: box.y - canvas.y + 70 });
  }
  await expect(editor.node('web-5')).toBeAttached();
  expect((await editor.doc()).nodes.filter((n) => n.parent === 'subnet-1')).toHaveLength(5);

  // A second VPC dropped on the first goes beside it.
  const again = await editor.box(editor.node('vpc-1').locator('.container-header'));
  await editor.drop('vpc', { x: again.x - canvas.x + 60, y: again.y - canvas.y + 20 });
  await expect(editor.node('vpc-2')).toBeAttached();
  expect((await editor.modelNode('vpc-2'))['parent']).toBeUndefined();
  // The view follows a node placed out of it.
  await editor.settleViewport();
  expect(await editor.hiddenNodes(['vpc-2'])).toEqual([]);

  expect(await editor.drawingProblems()).toEqual([]);
  expect(editor.consoleErrors).toEqual([]);
});
