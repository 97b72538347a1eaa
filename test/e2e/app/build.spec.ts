import { expect, test } from './fixtures.js';

// Issue 5: build a two-tier VPC from an empty canvas by drag and drop only.
test('builds a two-tier VPC from an empty canvas by drag and drop', async ({ editor }) => {
  await editor.openEditor();
  await expect(editor.byTestId('empty-canvas')).toBeVisible();

  // A drop on the empty-state card lands on the canvas beneath it.
  const card = await editor.byTestId('empty-canvas').locator('.empty-card h2').boundingBox();
  const canvasBox = await editor.canvas.boundingBox();
  if (!card || !canvasBox) throw new Error('the empty canvas is not shown');
  await editor.drop('client', { x: card.x - canvasBox.x + 10, y: card.y - canvasBox.y + 5 });
  await expect(editor.node('client-1')).toBeVisible();
  await editor.page.keyboard.press('Control+z');
  await expect(editor.byTestId('empty-canvas')).toBeVisible();

  await editor.drop('vpc', { x: 60, y: 60 });
  await expect(editor.node('vpc-1')).toBeVisible();
  await editor.drop('subnet', { x: 84, y: 110 });
  await editor.drop('subnet', { x: 424, y: 110 });
  await expect(editor.node('subnet-2')).toContainText('10.0.1.0/24');
  await editor.drop('load-balancer', { x: 200, y: 190 });
  await editor.drop('nat-gateway', { x: 200, y: 260 });
  await editor.drop('server', { x: 560, y: 190 });
  await editor.drop('server', { x: 560, y: 260 });
  await editor.drop('internet-gateway', { x: 200, y: 400 });
  await editor.drop('route-table', { x: 420, y: 400 });
  await editor.drop('client', { x: 600, y: 560 });

  // A subnet cannot live on the open canvas: refused, with the reason. (Dropped above the lab
  // dock: at 1280x800 the dock covers the canvas's bottom from about y 640.)
  await editor.drop('subnet', { x: 120, y: 560 });
  await expect(editor.lastToast()).toContainText('cannot go on the open canvas');

  await editor.connect('lb-1', 'web-1');
  await editor.connect('lb-1', 'web-2');
  await editor.connect('client-1', 'lb-1');
  await editor.connect('rtb-1', 'subnet-1');
  // A connection the model refuses is refused with the reason.
  await editor.connect('client-1', 'rtb-1');
  await expect(editor.lastToast()).toContainText('cannot send traffic to a route table');

  const doc = await editor.doc();
  const byId = new Map(doc.nodes.map((n) => [n.id, n as Record<string, unknown>]));
  expect(byId.get('vpc-1')).toMatchObject({ kind: 'vpc', cidr: '10.0.0.0/16' });
  expect(byId.get('subnet-1')).toMatchObject({ parent: 'vpc-1', cidr: '10.0.0.0/24' });
  expect(byId.get('subnet-2')).toMatchObject({ parent: 'vpc-1', cidr: '10.0.1.0/24' });
  expect(byId.get('lb-1')).toMatchObject({ parent: 'subnet-1', ip: '10.0.0.4' });
  expect(byId.get('nat-1')).toMatchObject({ parent: 'subnet-1', ip: '10.0.0.5' });
  expect(byId.get('web-1')).toMatchObject({ parent: 'subnet-2', ip: '10.0.1.4' });
  expect(byId.get('web-2')).toMatchObject({ parent: 'subnet-2', ip: '10.0.1.5' });
  expect(byId.get('igw-1')).toMatchObject({ parent: 'vpc-1' });
  expect(byId.get('rtb-1')).toMatchObject({ parent: 'vpc-1', subnets: ['subnet-1'] });
  expect(byId.get('client-1')).not.toHaveProperty('parent');
  expect(doc.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(['client-1->lb-1', 'lb-1->web-1', 'lb-1->web-2']);

  // Moving a server into the other subnet re-parents it and gives it an address there.
  await editor.dragNode('web-2', -360, 0);
  await expect.poll(async () => (await editor.modelNode('web-2'))['parent']).toBe('subnet-1');
  expect((await editor.modelNode('web-2'))['ip']).toBe('10.0.0.6');

  await editor.select('subnet-1');
  await expect(editor.byTestId('cidr-info-cidr')).toContainText('251 hosts');
  await editor.validated();
  await editor.screenshot('canvas-built-by-drag-and-drop');
  expect(editor.consoleErrors).toEqual([]);
});
