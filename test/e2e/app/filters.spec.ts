import { expect, test } from './fixtures.js';

// Issue 14: security groups and network ACLs on the canvas, at a laptop's 1280 x 800.
test.use({ viewport: { width: 1280, height: 800 } });

const EXAMPLE = 'three-tier-filtered.topolab.json';

test('a security group from the palette: its rule tables, hints, and undo and redo of every edit', async ({ filters }) => {
  await filters.openEditor();
  await expect(filters.byTestId('palette-security-group')).toBeVisible();
  await expect(filters.byTestId('palette-network-acl')).toBeVisible();
  await filters.drop('vpc', { x: 60, y: 60 });
  await expect(filters.node('vpc-1')).toBeVisible();
  await filters.drop('security-group', { x: 240, y: 220 });
  await expect(filters.node('sg-1')).toBeVisible();
  const created = await filters.doc();
  // As AWS creates a group: no inbound rule, everything allowed out.
  expect(await filters.modelNode('sg-1')).toMatchObject({ parent: 'vpc-1', inbound: [], outbound: [{ protocol: 'all', destination: '0.0.0.0/0' }] });

  await filters.select('sg-1');
  await expect(filters.sgRow('outbound', 0)).toBeVisible();
  const first = await filters.addSgRule('inbound');
  await filters.editSgRule('inbound', first, { ports: '8080', peer: '10.0.0.0/16' });
  await expect.poll(async () => (await filters.modelNode('sg-1'))['inbound']).toEqual([{ protocol: 'tcp', ports: '8080', source: '10.0.0.0/16' }]);
  const afterFirst = await filters.doc();
  // A broader rule makes the first one redundant, which the table says.
  const second = await filters.addSgRule('inbound');
  await filters.editSgRule('inbound', second, { protocol: 'all', peer: '10.0.0.0/8' });
  await expect(filters.sgHint('inbound', first)).toContainText('already allowed by rule 2');
  // A bad port range is explained as it is typed.
  await filters.editSgRule('inbound', first, { ports: '9000-80' });
  await expect(filters.byTestId(`sg-inbound-error-${first}`)).toContainText('runs backwards');
  await expect(filters.node('sg-1')).toContainText('2 in · 1 out');

  const final = await filters.doc();
  // Undo walks back through every edit to the new group (one step per edited field), redo forward again.
  expect(await filters.stepUntil('undo', afterFirst.nodes)).toBe(4);
  expect(await filters.stepUntil('undo', created.nodes)).toBe(3);
  expect(await filters.stepUntil('redo', final.nodes)).toBe(7);
  expect(filters.consoleErrors).toEqual([]);
});

test('a network ACL: rules in number order, reordered by number, with duplicate and shadow hints', async ({ filters }) => {
  await filters.openEditor({ file: EXAMPLE });
  const opened = await filters.doc();
  await filters.select('acl-db');
  const original = await filters.modelNode('acl-db');
  expect(await filters.aclOrder('inbound')).toEqual([100, 200]);
  await expect(filters.byTestId('acl-inbound-final-deny')).toBeVisible();

  const added = await filters.addAclRule('inbound');
  expect(await filters.aclOrder('inbound')).toEqual([100, 200, 300]);
  // Renumbered to 150, it moves between 100 and 200; rule 100 already decides its traffic.
  await filters.editAclRule('inbound', added, { ports: '5432', cidr: '10.0.11.0/24', number: 150 });
  await expect.poll(() => filters.aclOrder('inbound')).toEqual([100, 150, 200]);
  await expect(filters.aclHint('inbound', added)).toContainText('never matches: rule 100 (allow)');
  // Moved up, it swaps numbers with rule 100 and is evaluated first: no longer shadowed.
  await filters.moveAclRule('inbound', added, 'up');
  await expect.poll(async () => ((await filters.modelNode('acl-db'))['inbound'] as { rule: number }[]).map((r) => r.rule)).toEqual([150, 200, 100]);
  await expect(filters.aclHint('inbound', added)).toHaveCount(0);
  // One number twice in a direction: both rows say so, and so does validate.
  await filters.editAclRule('inbound', added, { number: 200 });
  await expect(filters.aclHint('inbound', added)).toContainText('rule number 200 is used twice');
  await expect(filters.aclHint('inbound', 1)).toContainText('rule number 200 is used twice');
  await filters.validated();
  await expect(filters.diagnostic('nacl-rule-duplicate')).toHaveCount(1);

  // A deny before the allow: the hint names the overlap.
  await filters.editAclRule('inbound', added, { number: 50, action: 'deny', ports: '5432-5433' });
  await expect(filters.aclHint('inbound', 0)).toContainText('overlaps rule 50 (deny)');

  // Every edit undoes, back to the example as it opened; one redo brings back the added rule.
  expect(await filters.stepUntil('undo', opened.nodes)).toBeGreaterThanOrEqual(8);
  expect(await filters.modelNode('acl-db')).toEqual(original);
  await filters.redo();
  await expect.poll(() => filters.aclOrder('inbound')).toEqual([100, 200, 300]);
  expect(filters.consoleErrors).toEqual([]);
});

test('an ACL takes a subnet from another ACL in one undoable step, and its default flag is checked by validate', async ({ filters }) => {
  await filters.openEditor({ file: EXAMPLE });
  await filters.select('acl-db');
  await filters.associateSubnet('app-b');
  await expect.poll(async () => (await filters.modelNode('acl-db'))['subnets']).toEqual(['db-a', 'app-b']);
  expect((await filters.modelNode('acl-app'))['subnets']).toEqual(['app-a']);
  await expect(filters.byTestId('acl-subnet-app-b')).toBeVisible();
  await filters.validated();
  await expect(filters.diagnostic('nacl-subnet-conflict')).toHaveCount(0);
  await filters.undo();
  await expect.poll(async () => (await filters.modelNode('acl-db'))['subnets']).toEqual(['db-a']);
  expect((await filters.modelNode('acl-app'))['subnets']).toEqual(['app-a', 'app-b']);
  // A second default ACL in the VPC: validate names both.
  await filters.setDefault('acl', true);
  await filters.validated();
  await expect(filters.diagnostic('default-duplicate')).toHaveCount(1);
  await filters.undo();
  await filters.validated();
  await expect(filters.diagnostic('default-duplicate')).toHaveCount(0);
  expect(filters.consoleErrors).toEqual([]);
});

test('groups assigned from the inspector and by dropping a node on a group chip, shown on badges', async ({ filters }) => {
  await filters.openEditor({ file: EXAMPLE });
  await expect(filters.badge('app-1')).toHaveText(/app$/);
  await expect(filters.badge('ops')).toContainText('default (default)');

  // The ops box uses the VPC's default group; joining another keeps it.
  await filters.select('ops');
  await expect(filters.byTestId('sg-member-sg-default')).toContainText('(default)');
  await filters.joinGroup('sg-app');
  await expect.poll(async () => (await filters.modelNode('ops'))['securityGroups']).toEqual(['sg-default', 'sg-app']);
  await expect(filters.badge('ops')).toHaveText(/default, app$/);
  await filters.leaveGroup('sg-app');
  await expect(filters.badge('ops')).toHaveText(/default$/);
  await filters.undo();
  await expect(filters.badge('ops')).toHaveText(/default, app$/);
  await filters.undo();
  expect((await filters.modelNode('ops'))['securityGroups']).toBeUndefined();

  // Dropped on the database group's chip, app-2 joins it and stays where it was.
  const before = (await filters.doc()).layout['app-2'];
  await filters.dropOnGroup('app-2', 'sg-db');
  await expect.poll(async () => (await filters.modelNode('app-2'))['securityGroups']).toEqual(['sg-app', 'sg-db']);
  expect((await filters.doc()).layout['app-2']).toEqual(before);
  await expect(filters.badge('app-2')).toHaveText(/app, db$/);
  await filters.select('sg-db');
  await expect(filters.byTestId('sg-members-app-2')).toBeVisible();
  await filters.undo();
  await expect.poll(async () => (await filters.modelNode('app-2'))['securityGroups']).toEqual(['sg-app']);
  await filters.redo();
  await expect.poll(async () => (await filters.modelNode('app-2'))['securityGroups']).toEqual(['sg-app', 'sg-db']);
  // A node that takes no groups (the NAT gateway) dropped on a chip is only moved.
  await filters.dropOnGroup('nat', 'sg-db');
  expect((await filters.modelNode('nat'))['securityGroups']).toBeUndefined();
  expect(filters.consoleErrors).toEqual([]);
});

test('the trace view names the rule that allowed each filter and the one that blocked', async ({ filters }) => {
  await filters.openEditor({ file: EXAMPLE });
  await filters.trace('web-lb', 'app-1');
  await expect(filters.byTestId('trace-verdict')).toHaveText(/Reachable/);
  await expect.poll(() => filters.traceRules()).toEqual([
    'sg-lb outbound[0] · outbound request',
    'rule 100 · outbound request',
    'rule 100 · inbound request',
    'sg-app inbound[0] · inbound request',
    'rule 100 · outbound response',
    'rule 100 · inbound response',
  ]);
  await expect(filters.node('sg-lb')).toHaveClass(/trace-path/);
  await expect(filters.node('acl-app')).toHaveClass(/trace-path/);
  await filters.docsScreenshot('trace-filters');

  // A group with no outbound rule: the database starts nothing.
  await filters.trace('db', 'app-1');
  await expect(filters.byTestId('trace-verdict')).toHaveText(/Blocked/);
  await expect(filters.byTestId('trace-blocked-by')).toHaveText('security groups of db · outbound · no rule allows it');
  await expect(filters.byTestId('trace-blocked-by')).toHaveAttribute('data-code', 'security-group');

  // One source port outside the ACL's reply range: the reply is refused, by the final deny.
  await filters.trace('app-1', 'db', { sourcePort: '1500' });
  await expect(filters.byTestId('trace-blocked-by')).toHaveText('network ACL acl-db · outbound response · no rule matched: the final deny (*)');
  await expect(filters.node('acl-db')).toHaveClass(/trace-blocked/);
  await filters.byTestId('trace-source-port').fill('');
  await expect(filters.byTestId('trace-verdict')).toHaveText(/Reachable/);
  expect(filters.consoleErrors).toEqual([]);
});
