import { expect, test } from './fixtures.js';

// Issue 16: releasing a connection anywhere on a target node's body connects, as it does
// on its handle; a target that cannot take the connection says why.
test('a connection released on a node body connects to that node, or says why it cannot', async ({ editor }) => {
  await editor.openEditor();
  await editor.drop('vpc', { x: 60, y: 60 });
  await editor.drop('subnet', { x: 84, y: 110 });
  await editor.drop('subnet', { x: 424, y: 110 });
  await editor.drop('load-balancer', { x: 200, y: 190 });
  await editor.drop('server', { x: 560, y: 190 });
  await editor.drop('server', { x: 560, y: 280 });
  await expect(editor.node('web-2')).toBeVisible();

  await editor.connectToBody('lb-1', 'web-1');
  await expect.poll(async () => (await editor.doc()).edges.map((e) => `${e.from}->${e.to}`)).toEqual(['lb-1->web-1']);

  // A connection back to the balancer would loop: the same refusal as on a handle.
  await editor.connectToBody('web-1', 'lb-1');
  await expect(editor.lastToast()).toContainText('lb-1 already sends traffic to web-1: a loop would forward requests forever');
  // Released over the node it started from: nothing happens.
  await editor.connectToBody('lb-1', 'lb-1');
  expect((await editor.doc()).edges.map((e) => `${e.from}->${e.to}`)).toEqual(['lb-1->web-1']);
  // And one more on a body, right after the edit above (handles and bodies stay live through edits).
  await editor.connectToBody('lb-1', 'web-2');
  await expect.poll(async () => (await editor.doc()).edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(['lb-1->web-1', 'lb-1->web-2']);
  expect(editor.consoleErrors).toEqual([]);
});
