import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/index.js';
import { expect, test } from './fixtures.js';

const run = promisify(execFile);

// Issue 5: plan subnets with the planner dialog.
test('the subnet planner previews an allocation and applies it to the VPC', async ({ editor, page }) => {
  await editor.openEditor();
  await editor.drop('vpc', { x: 60, y: 60 });
  await expect(editor.node('vpc-1')).toBeVisible();
  await page.keyboard.press('p');
  await expect(editor.byTestId('planner-dialog')).toBeVisible();
  // Defaults: two /24 and two 500-host subnets, largest first, aligned, zones a and b in turn.
  await expect(editor.byTestId('planner-cidr-2')).toHaveText('10.0.0.0/23');
  await expect(editor.byTestId('planner-cidr-3')).toHaveText('10.0.2.0/23');
  await expect(editor.byTestId('planner-cidr-0')).toHaveText('10.0.4.0/24');
  await expect(editor.byTestId('planner-cidr-1')).toHaveText('10.0.5.0/24');
  // A request that cannot fit is explained, with the free space.
  await editor.byTestId('planner-value-0').fill('8');
  await expect(editor.byTestId('planner-error')).toContainText('/8 cannot be carved');
  await editor.byTestId('planner-value-0').fill('24');
  await editor.byTestId('planner-zones').fill('us-east-1a, us-east-1b');
  // The proposal is drawn on the canvas as ghost subnets, not yet in the design.
  await expect(editor.node('subnet-3')).toHaveClass(/is-ghost/);
  await expect(editor.node('subnet-3')).toContainText('10.0.0.0/23');
  expect((await editor.doc()).nodes.filter((n) => n.kind === 'subnet')).toEqual([]);
  await editor.docsScreenshot('subnet-planner');
  await editor.byTestId('planner-apply').click();
  await expect(editor.byTestId('planner-dialog')).toHaveCount(0);

  const doc = await editor.doc();
  const subnets = doc.nodes.filter((n) => n.kind === 'subnet').map((n) => ({ name: n.name, cidr: (n as { cidr: string }).cidr, zone: (n as { zone?: string }).zone, parent: n.parent }));
  expect(subnets).toEqual([
    { name: 'public-a', cidr: '10.0.4.0/24', zone: 'us-east-1a', parent: 'vpc-1' },
    { name: 'public-b', cidr: '10.0.5.0/24', zone: 'us-east-1b', parent: 'vpc-1' },
    { name: 'private-a', cidr: '10.0.0.0/23', zone: 'us-east-1a', parent: 'vpc-1' },
    { name: 'private-b', cidr: '10.0.2.0/23', zone: 'us-east-1b', parent: 'vpc-1' },
  ]);
  await expect(editor.node('subnet-4')).toContainText('10.0.2.0/23');
  // One undo step removes the whole plan.
  await page.keyboard.press('Control+z');
  expect((await editor.doc()).nodes.filter((n) => n.kind === 'subnet')).toEqual([]);
  expect(editor.consoleErrors).toEqual([]);
});

// Issue 5: trace a blocked flow and see the reason.
test('reachability shows a blocked flow with the blocking node and why, then a reachable path', async ({ editor, page }) => {
  await editor.openEditor({ file: 'two-tier-web.topolab.json' });
  await expect(editor.node('visitor')).toBeVisible();
  await editor.command('tools.trace');
  await expect(editor.byTestId('trace-panel')).toBeVisible();
  // Click the source, then the destination, on the canvas.
  await editor.node('visitor').click();
  await editor.node('app-a').click();
  await expect(editor.byTestId('trace-verdict')).toHaveText(/Blocked/);
  await expect(editor.byTestId('trace-blocked-reason')).toContainText('private subnet');
  await expect(editor.byTestId('trace-blocked-reason')).toContainText('Private A');
  await expect(editor.node('private-a')).toHaveClass(/trace-blocked/);
  await editor.docsScreenshot('reachability-blocked');

  // The same from the pickers: the internet reaches the public balancer, hop by hop.
  await expect(editor.byTestId('trace-from')).toHaveValue('visitor');
  await editor.byTestId('trace-to').fill('web-lb');
  await expect(editor.byTestId('trace-verdict')).toHaveText(/Reachable/);
  const hops = await editor.byTestId('trace-hop').evaluateAll((items) => items.map((i) => i.getAttribute('data-node')).filter(Boolean));
  expect(hops).toEqual(['visitor', 'igw', 'public-a', 'rt-public', 'web-lb']);
  await expect(editor.node('web-lb')).toHaveClass(/trace-path/);
  // Escape leaves the field, a second Escape leaves the tool and clears the highlight.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(editor.byTestId('trace-panel')).toHaveCount(0);
  await expect(editor.node('web-lb')).not.toHaveClass(/trace-path/);
  expect(editor.consoleErrors).toEqual([]);
});

// Issue 5: export nginx and compare with the CLI's output.
test('the nginx export in the dialog is byte for byte what the CLI writes', async ({ editor, served }) => {
  await editor.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await expect(editor.node('nginx')).toBeVisible();
  await editor.command('tools.export');
  const preview = editor.byTestId('export-preview');
  await expect(preview).toHaveAttribute('data-path', 'nginx.conf');
  const shown = await preview.textContent();
  const cli = await run(process.execPath, [join(REPO_ROOT, 'dist', 'core', 'cli', 'main.js'), 'export', join(served.dir, 'nginx-two-backends.topolab.json'), '--format', 'nginx', '--json'], { cwd: REPO_ROOT });
  const expected = JSON.parse(cli.stdout) as { files: { path: string; content: string }[] };
  expect(shown).toBe(expected.files.find((f) => f.path === 'nginx.conf')?.content);
  // Highlighted, with the report beside it.
  await expect(preview.locator('.tok-keyword').first()).toBeVisible();
  await expect(editor.byTestId('report-ok')).toContainText('Expressed');
  // Each approximation says what to do about it (issue 15); a valid design has no errors list.
  await expect(editor.byTestId('report-warn')).toContainText('What to do: nothing to do');
  await expect(editor.byTestId('report-errors')).toHaveCount(0);
  await editor.docsScreenshot('export-nginx');

  // Other targets render in the same dialog; the diagram preview is drawn from the model.
  await editor.byTestId('export-target-haproxy').click();
  await expect(preview).toHaveAttribute('data-path', 'haproxy.cfg');
  await editor.byTestId('export-target-svg').click();
  await expect(editor.byTestId('export-svg-preview').locator('img')).toBeVisible();
  // The diagram downloads as SVG and PNG, drawn from the model.
  const svgDownload = editor.page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.svg'));
  const pngDownload = editor.page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.png'));
  await editor.byTestId('export-download').click();
  const [svgFile, pngFile] = await Promise.all([svgDownload, pngDownload]);
  expect(svgFile.suggestedFilename()).toBe('nginx-two-backends.svg');
  const svgText = await readFile((await svgFile.path()) as string, 'utf8');
  expect(svgText).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svgText).toContain('backend-1');
  const pngBytes = await readFile((await pngFile.path()) as string);
  expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(editor.consoleErrors).toEqual([]);
});
