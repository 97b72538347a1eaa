import { expect, test } from './fixtures.js';

// Issue 5: type an overlapping CIDR, see the diagnostic, click it and see the node selected.
test('an overlapping CIDR typed in the inspector shows a diagnostic that selects its node', async ({ editor, page }) => {
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(editor.node('public-b')).toBeVisible();
  await editor.validated();
  await expect(editor.diagnostic('subnet-overlap')).toHaveCount(0);

  await editor.select('public-b');
  // A CIDR with host bits set is explained inline as it is typed, with its fix.
  await editor.type('cidr', '10.0.0.5/25');
  await expect(editor.byTestId('error-cidr')).toContainText('host bits set');
  await editor.byTestId('fix-cidr').click();
  await expect(editor.field('cidr')).toHaveValue('10.0.0.0/25');
  await expect(editor.byTestId('cidr-info-cidr')).toContainText('10.0.0.0 – 10.0.0.127');
  await expect(editor.byTestId('cidr-info-cidr')).toContainText('123 hosts');
  await expect(editor.byTestId('cidr-space')).toContainText('private');

  // 10.0.0.0/25 overlaps public-a (10.0.0.0/24): the validator reports it and both nodes carry a badge.
  await editor.validated();
  const overlap = editor.diagnostic('subnet-overlap');
  await expect(overlap).toHaveCount(1);
  await expect(overlap).toContainText('10.0.0.0/24');
  await expect(editor.node('public-a')).toHaveAttribute('data-badge', 'error');
  await expect(editor.node('public-b')).toHaveAttribute('data-badge', 'error');
  await expect(editor.byTestId('count-error')).not.toHaveText('0');

  // Clicking the diagnostic selects (and centres) the first node it is about.
  await editor.byTestId('doc-name').count(); // the inspector shows a node, not the design
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await expect(editor.byTestId('inspector-document')).toBeVisible();
  const first = ((await overlap.getAttribute('data-nodes')) ?? '').split(' ')[0] as string;
  await overlap.click();
  await expect(editor.byTestId('inspector')).toHaveAttribute('data-node', first);
  await expect(editor.node(first)).toHaveClass(/is-selected/);
  await editor.docsScreenshot('diagnostics');

  // Undo puts the CIDR back and the diagnostic goes away.
  await page.keyboard.press('Escape');
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await editor.modelNode('public-b'))['cidr']).toBe('10.0.1.0/24');
  await editor.validated();
  await expect(editor.diagnostic('subnet-overlap')).toHaveCount(0);
  expect(editor.consoleErrors).toEqual([]);
});

// The broken-plan example: every diagnostic listed by severity, badges on nodes and edges.
test('a broken plan lists its problems by severity, with badges on nodes and edges', async ({ editor }) => {
  await editor.openEditor({ file: 'broken-plan.topolab.json' });
  await editor.validated();
  await expect(editor.diagnostic('edge-invalid')).toHaveCount(1);
  await expect(editor.byTestId('edge-badge-server-to-table')).toBeVisible();
  await expect(editor.node('host-bits')).toHaveAttribute('data-badge', 'error');
  await expect(editor.byTestId('diagnostics-error')).toBeVisible();
  await expect(editor.byTestId('diagnostics-warning')).toBeVisible();
  const errors = Number(await editor.byTestId('count-error').textContent());
  expect(errors).toBeGreaterThan(10);
  // A diagnostic with a fix applies it: the host-bits CIDR becomes its network address.
  const hostBits = editor.diagnostic('cidr-host-bits');
  await hostBits.getByTestId('diagnostic-fix').click();
  await expect.poll(async () => (await editor.modelNode('host-bits'))['cidr']).toBe('10.0.1.0/24');
  await editor.docsScreenshot('broken-plan');
  expect(editor.consoleErrors).toEqual([]);
});
