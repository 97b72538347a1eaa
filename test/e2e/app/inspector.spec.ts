import { expect, test } from './fixtures.js';

// The inspector edits the selected node's properties; each edit is one undo step.
test('the inspector edits a balancer, its health check, tags and a route table', async ({ editor, page }) => {
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await editor.select('web-lb');
  await page.getByTestId('input-algorithm').selectOption('least-connections');
  await editor.type('hc-path', '/ready');
  await editor.type('tags', 'team: web');
  await expect.poll(async () => editor.modelNode('web-lb')).toMatchObject({ algorithm: 'least-connections', tags: { team: 'web' } });
  expect(((await editor.modelNode('web-lb'))['healthCheck'] as { path?: string }).path).toBe('/ready');
  // A number outside its range is explained and not committed.
  await editor.type('hc-rise', '0');
  await expect(editor.byTestId('error-hc-rise')).toContainText('at least 1');
  expect(((await editor.modelNode('web-lb'))['healthCheck'] as { rise?: number }).rise).not.toBe(0);

  // The "Inside" picker moves a node without dragging, with a free address in its new subnet.
  await editor.select('app-b');
  await editor.page.getByTestId('input-parent').selectOption('private-a');
  await expect.poll(async () => editor.modelNode('app-b')).toMatchObject({ parent: 'private-a' });
  expect((await editor.modelNode('app-b'))['ip']).toMatch(/^10\.0\.10\./);

  // Route table: the implicit local route is shown; a new route's destination is checked as typed.
  await editor.select('rt-private');
  await expect(editor.byTestId('route-implicit')).toContainText('10.0.0.0/16');
  await editor.byTestId('route-add').click();
  const row = (await editor.modelNode('rt-private'))['routes'] as unknown[];
  const last = row.length - 1;
  await editor.byTestId(`route-destination-${last}`).fill('10.9.0.5/16');
  await expect(editor.byTestId(`route-error-${last}`)).toContainText('host bits');
  await editor.byTestId(`route-destination-${last}`).fill('10.9.0.0/16');
  await page.getByTestId(`route-target-${last}`).selectOption('blackhole');
  await expect.poll(async () => ((await editor.modelNode('rt-private'))['routes'] as unknown[]).at(-1)).toEqual({ destination: '10.9.0.0/16', target: 'blackhole' });
  expect(editor.consoleErrors).toEqual([]);
});
