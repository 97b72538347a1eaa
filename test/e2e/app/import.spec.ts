import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importAws } from '../../../core/import/index.js';
import { REPO_ROOT } from '../support/index.js';
import { expect, test } from './fixtures.js';
import type { TestFile } from './pages/import.js';

// Issue 19, the app: File > Import, files dropped onto the window, the report beside the design.

const AWS = join(REPO_ROOT, 'test', 'fixtures', 'import', 'aws');
/** The AWS fixtures as the user's describe files: two VPCs, subnets, an ALB, a terminated instance, a VPC endpoint. */
const awsFiles: TestFile[] = readdirSync(AWS)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, text: readFileSync(join(AWS, name), 'utf8') }));
/** What the core importer makes of the same files: the app must show exactly this. */
const expected = importAws(awsFiles);

test.use({ viewport: { width: 1280, height: 800 } });

test('File > Import: AWS describe files become a new unsaved design, with the report beside it', async ({ importing, page }) => {
  await importing.openEditor();
  // Unsaved work first: the dialog says it will be replaced before anything is lost.
  await importing.drop('vpc', { x: 80, y: 80 });
  await expect(importing.byTestId('dirty-indicator')).toBeVisible();

  await importing.openFromFileMenu();
  await expect(importing.byTestId('import-unsaved')).toBeVisible();
  await expect(importing.byTestId('import-confirm')).toHaveText('Discard changes and import');
  // Cancel keeps the design as it was.
  await importing.dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(importing.dialog).toHaveCount(0);
  expect((await importing.doc()).nodes.map((n) => n.kind)).toEqual(['vpc']);

  await importing.openFromFileMenu();
  await importing.pick(awsFiles);
  await expect(importing.byTestId('import-source')).toContainText('Detect (AWS describe output)');
  await importing.confirm();
  await expect(importing.dialog).toHaveCount(0);

  // The design on the canvas: both VPCs and every subnet, as the core importer made them.
  const vpcs = expected.topology.nodes.filter((n) => n.kind === 'vpc').map((n) => n.id);
  const subnets = expected.topology.nodes.filter((n) => n.kind === 'subnet').map((n) => n.id);
  expect(vpcs).toEqual(['vpc-0a1111111111111aa', 'vpc-0b2222222222222bb']);
  expect(subnets.length).toBe(5);
  for (const id of [...vpcs, ...subnets]) await expect(importing.node(id)).toBeVisible();
  expect(await importing.doc()).toEqual(JSON.parse(JSON.stringify(expected.topology)));
  // New and unsaved: no file name, the dirty mark, nothing in the URL.
  await expect(importing.byTestId('dirty-indicator')).toBeVisible();
  await expect(page).not.toHaveURL(/\?file=/);

  // The report: node count, the terminated instance ignored with its reason, the listening ports and where they came from.
  await expect(importing.report).toBeVisible();
  await expect(importing.byTestId('import-report-nodes')).toHaveText(String(expected.topology.nodes.length));
  await expect(importing.ignored('i-0old0000000000001')).toContainText('terminated');
  await expect(importing.ignored('i-0old0000000000001')).toContainText('Instance');
  await expect(importing.byTestId('import-report-ignored').locator('li')).toHaveCount(expected.ignored.length);
  await expect(importing.byTestId('import-port-i-0app1000000000001')).toContainText('8080');
  await expect(importing.byTestId('import-port-i-0app1000000000001')).toContainText('target group app-tg');
  await expect(importing.byTestId('import-report-check')).toContainText('0 errors');
  await importing.docsScreenshot('import-report');

  // The user closes it; the design stays.
  await importing.byTestId('import-report-close').click();
  await expect(importing.report).toHaveCount(0);
  await expect(importing.node('vpc-0a1111111111111aa')).toBeVisible();
  expect(importing.consoleErrors).toEqual([]);
});

test('a malformed file shows the service error naming the file and JSON path; nothing is replaced', async ({ importing }) => {
  await importing.openEditor();
  await importing.drop('vpc', { x: 80, y: 80 });
  const before = await importing.doc();
  await importing.openFromFileMenu();
  await importing.pick([{ name: 'describe-subnets.json', text: '{"Subnets": [{"SubnetId": 5}]}' }]);
  await importing.confirm();
  await expect(importing.byTestId('import-error')).toContainText('describe-subnets.json at Subnets[0].SubnetId: expected string');
  await expect(importing.dialog).toBeVisible();
  expect(await importing.doc()).toEqual(before);

  // Not JSON at all: the parser's line and column.
  await importing.pick([{ name: 'describe-subnets.json', text: '{"Subnets": [' }]);
  await importing.confirm();
  await expect(importing.byTestId('import-error')).toContainText('describe-subnets.json: invalid JSON at line 1');

  // A Terraform import of two files: the service refuses, the dialog says why.
  await importing.pick([{ name: 'other.json', text: '{}' }]);
  await importing.source('terraform');
  await importing.confirm();
  await expect(importing.byTestId('import-error')).toContainText('a Terraform import reads one file');
  expect(await importing.doc()).toEqual(before);
  await expect(importing.report).toHaveCount(0);
  // The browser logs each refused call (HTTP 400 from the service); nothing else went wrong.
  const refused = (m: string) => /status of 400 \(Bad Request\)/.test(m);
  expect(importing.consoleErrors.filter(refused)).toHaveLength(3);
  expect(importing.consoleErrors.filter((m) => !refused(m))).toEqual([]);
});

test('files dropped onto the window open the import dialog with them; palette drops still add nodes', async ({ importing }) => {
  await importing.openEditor();
  // The palette's own drag and drop onto the canvas is not taken for an import.
  await importing.drop('vpc', { x: 80, y: 80 });
  await expect(importing.node('vpc-1')).toBeVisible();
  await expect(importing.dialog).toHaveCount(0);

  const vpcs = awsFiles.filter((f) => f.name === 'describe-vpcs.json' || f.name === 'describe-subnets.json');
  await importing.dropOnto('canvas', vpcs);
  await expect(importing.dialog).toBeVisible();
  await expect(importing.byTestId('import-unsaved')).toBeVisible();
  for (const f of vpcs) await expect(importing.byTestId(`import-file-${f.name}`)).toBeVisible();
  // A second drop, onto the open dialog, adds to the list.
  const igw = awsFiles.filter((f) => f.name === 'describe-internet-gateways.json');
  await importing.dropOnto('import-dialog', igw);
  await expect(importing.byTestId('import-file-describe-internet-gateways.json')).toBeVisible();
  await importing.confirm();
  await expect(importing.dialog).toHaveCount(0);
  const partial = importAws([...vpcs, ...igw]).topology;
  expect(await importing.doc()).toEqual(JSON.parse(JSON.stringify(partial)));
  await expect(importing.node('subnet-0pub0000000000001')).toBeVisible();
  expect(importing.consoleErrors).toEqual([]);
});
