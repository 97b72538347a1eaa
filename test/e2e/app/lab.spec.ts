import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, REPO_ROOT, test as base } from '../support/index.js';
import { LabPage } from './pages/lab.js';

const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, served }, use) => {
    const lab = new LabPage(page, served.url);
    await use(lab);
    // One lab per server: leave none running for the next test, whatever happened.
    await page.evaluate(() => fetch('/api/call/lab.stop', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).catch(() => undefined);
  },
});

test('launch the two-backend example, send 200 requests and read an even split; stop and see every node stopped', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  for (const id of ['nginx', 'backend-1', 'backend-2']) await lab.expectNodeState(id, 'healthy');
  await expect(lab.byTestId('lab-endpoint-nginx')).toContainText('127.0.0.1:');

  await lab.tab('endpoints');
  await expect(lab.byTestId('curl-nginx')).toContainText('curl -i http://127.0.0.1:');

  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 200, concurrency: 8 });
  await lab.expectRunPhase('done');
  await expect(lab.byTestId('traffic-summary')).toContainText('200 requests');
  expect(await lab.statusCounts()).toEqual({ '200': 200 });
  expect(await lab.backendCounts()).toEqual({ 'backend-1': 100, 'backend-2': 100 });
  await expect(lab.byTestId('chart-rps')).toBeVisible();
  await expect(lab.byTestId('lab-targets-nginx').locator('[data-target="backend-1"]')).toHaveAttribute('data-chosen', /^\d+$/);
  await expect(lab.byTestId('backend-bars')).toBeInViewport();
  await lab.docsScreenshot('lab');

  await lab.stop();
  for (const id of ['nginx', 'backend-1', 'backend-2']) await lab.expectNodeState(id, 'stopped');
  expect(lab.consoleErrors).toEqual([]);
});

test('stop a backend from the context menu: the balancer marks it unhealthy and requests keep succeeding on the other', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.expectNodeState('backend-2', 'healthy');

  // While the lab runs the structure is locked: deleting a node is refused.
  await lab.select('backend-1');
  await lab.page.keyboard.press('Delete');
  await expect(lab.lastToast()).toContainText('the lab is running');
  await expect(lab.node('backend-1')).toBeVisible();

  await lab.fault('backend-2', 'stop');
  await lab.expectNodeState('backend-2', 'stopped');
  const target = lab.byTestId('lab-targets-nginx').locator('[data-target="backend-2"]');
  await expect(target).toHaveAttribute('data-healthy', 'no', { timeout: 20_000 });
  await lab.docsScreenshot('lab-fault');

  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 60, concurrency: 4 });
  await lab.expectRunPhase('done');
  expect(await lab.statusCounts()).toEqual({ '200': 60 });
  expect(await lab.backendCounts()).toEqual({ 'backend-1': 60 });

  await lab.fault('backend-2', 'start');
  await lab.expectNodeState('backend-2', 'healthy');
  await expect(target).toHaveAttribute('data-healthy', 'yes', { timeout: 20_000 });
});

test('cache example: the second request of a static file is a HIT', async ({ lab }) => {
  await lab.openEditor({ file: 'cache-in-front.topolab.json' });
  await lab.launch();
  const first = await lab.inspect({ from: 'reader', to: 'cache', path: '/static/app.css' });
  await expect(first.getByTestId('observed-status')).toHaveText('200');
  await expect(first.getByTestId('observed-cache')).toHaveText('MISS');
  await lab.inspect({});
  await expect(lab.byTestId('observed-cache')).toHaveText('HIT');
  await expect(lab.byTestId('observed-served-by')).toHaveText('web');
  await expect(lab.byTestId('observed-chain')).toHaveText('reader → cache → web');
  await expect(lab.byTestId('prediction-agrees')).toBeVisible();
});

// Issue 16, charts: a short run plotted one point, and the amount selector read "Seconc".
test('a short run plots several points, and the amount selector shows its whole word', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 300, concurrency: 2 });
  await lab.expectRunPhase('done');
  const points = Number(await lab.byTestId('chart-rps').getAttribute('data-points'));
  expect(points).toBeGreaterThanOrEqual(3);
  await lab.byTestId('traffic-mode').selectOption('duration');
  // The select is at least as wide as its chosen word plus its padding and arrow.
  const room = await lab.byTestId('traffic-mode').evaluate((el) => {
    const select = el as HTMLSelectElement;
    const style = getComputedStyle(select);
    const context = document.createElement('canvas').getContext('2d');
    if (!context) return -1;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const word = context.measureText(select.selectedOptions[0]?.text ?? '').width;
    return select.getBoundingClientRect().width - (word + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 14);
  });
  expect(room).toBeGreaterThanOrEqual(0);
  expect(lab.consoleErrors).toEqual([]);
});

// Issue 16, small defects: a request the design blocks gave an HTTP 500 and a console
// error; the inspector said "agree" while X-Forwarded-For was not the designed address.
test('Request tab: a flow the design blocks shows the block like a trace; a differing X-Forwarded-For is said, with why', async ({ lab }) => {
  await lab.openEditor({ file: 'two-tier-web.topolab.json' });
  await lab.launch();
  await lab.inspect({ from: 'visitor', to: 'app-a' });
  await expect(lab.byTestId('request-blocked')).toBeVisible();
  await expect(lab.byTestId('request-blocked-by')).toHaveText('private-a');
  await expect(lab.byTestId('request-blocked').getByTestId('predicted-hops')).toHaveAttribute('data-verdict', 'blocked');
  await expect(lab.byTestId('request-error')).toHaveCount(0);

  await lab.byTestId('request-to').selectOption('web-lb');
  await lab.byTestId('request-send').click();
  await expect(lab.byTestId('observed-status')).toHaveText('200');
  await expect(lab.byTestId('request-blocked')).toHaveCount(0);
  // The lab's nodes all run on the loopback: the request leaves from 127.0.0.1.
  await expect(lab.byTestId('observed-xff')).toHaveText(/^127\.0\.0\.1/);
  await expect(lab.page.locator('[data-testid="finding"][data-about="address"]')).toContainText("X-Forwarded-For is 127.0.0.1, not visitor's designed 203.0.113.10");
  await expect(lab.byTestId('prediction-agrees')).toContainText('paths agree');
  expect(lab.consoleErrors).toEqual([]);
});

test('forward-proxy example: a host outside the allow list is refused, a lab host is served', async ({ lab }) => {
  await lab.openEditor({ file: 'forward-proxy.topolab.json' });
  await lab.launch();
  await lab.inspect({ from: 'ci-runner', to: 'artifacts', via: 'egress-proxy' });
  await expect(lab.byTestId('observed-status')).toHaveText('200');
  await expect(lab.byTestId('observed-served-by')).toHaveText('artifacts');
  await lab.inspect({ target: 'http://evil.example.net/steal' });
  await expect(lab.byTestId('observed-status')).toHaveText('403');
  await lab.tab('endpoints');
  await expect(lab.byTestId('curl-egress-proxy')).toContainText('curl -x http://127.0.0.1:');
});

test('cancel a long run: it ends at once with what was measured', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.sendTraffic({ from: 'browser', to: 'nginx', seconds: 120, concurrency: 2 });
  await expect(lab.run).toHaveAttribute('data-phase', 'running');
  await expect.poll(async () => Number((await lab.byTestId('traffic-completed').textContent())?.split(' ')[0] ?? 0)).toBeGreaterThan(20);
  // The edges carrying the traffic animate with their rate.
  for (const edge of ['browser-nginx', 'nginx-backend-1', 'nginx-backend-2']) await expect(lab.byTestId(`lab-edge-${edge}`)).toHaveAttribute('data-rate', /^[1-9]\d*(\.\d)?$/);
  await lab.byTestId('traffic-cancel').click();
  await lab.expectRunPhase('cancelled', 10_000);
  await expect(lab.byTestId('traffic-summary')).toContainText('cancelled');
  await expect(lab.byTestId('traffic-start')).toBeEnabled();
});

test('a design with errors is refused with its diagnostics; nothing starts', async ({ lab }) => {
  await lab.openEditor({ file: 'broken-plan.topolab.json' });
  await lab.byTestId('lab-launch').click();
  const dialog = lab.byTestId('launch-refused');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('launch-diagnostics')).toContainText('subnet-overlap');
  await lab.byTestId('launch-cancel').click();
  await expect(lab.dock).toHaveAttribute('data-phase', 'idle');
});

test('a server property the runtime can change live is applied at once: error rate from the inspector', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.select('backend-2');
  await lab.field('errorRate').fill('1');
  await expect(lab.byTestId('toast').filter({ hasText: 'Applied live: error rate of backend-2 set to 100%' })).toBeVisible();
  await lab.inspect({ from: '', to: 'backend-2' });
  await expect(lab.byTestId('observed-status')).toHaveText('500');
  await expect(lab.byTestId('observed-served-by')).toHaveText('backend-2');
});

test('an auto-scaling group shows its instance count live and its scale events on a timeline', async ({ lab, served }) => {
  const design = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/lab/asg.topolab.json'), 'utf8')) as { nodes: { id: string; subnets?: string[] }[]; layout?: unknown };
  // A second public subnet on the balancer's route table, as AWS requires of an application
  // load balancer: without it the design has a warning and Launch asks first.
  design.nodes.push({ kind: 'subnet', id: 'public-b', parent: 'vpc', cidr: '10.1.2.0/24' } as { id: string });
  design.nodes.find((n) => n.id === 'rt-public')?.subnets?.push('public-b');
  design.layout = {
    user: { x: 20, y: 160 },
    vpc: { x: 220, y: 0, width: 900, height: 420 },
    public: { x: 24, y: 120, width: 240, height: 200 },
    'public-b': { x: 24, y: 20, width: 240, height: 80 },
    lb: { x: 40, y: 70 },
    'app-a': { x: 300, y: 40, width: 540, height: 340 },
    'app-b': { x: 300, y: 390, width: 200, height: 20 },
    asg: { x: 20, y: 60, width: 480, height: 240 },
    igw: { x: 24, y: 40 },
    'rt-public': { x: 24, y: 330 },
    'rt-main': { x: 160, y: 330 },
  };
  writeFileSync(join(served.dir, 'asg.topolab.json'), JSON.stringify(design));
  await lab.openEditor({ file: 'asg.topolab.json' });
  await lab.launch();
  const group = lab.byTestId('lab-group-asg');
  await expect(group).toHaveAttribute('data-instances', '1');
  await lab.sendTraffic({ from: 'user', to: 'lb', seconds: 6, concurrency: 10 });
  await expect(group).toHaveAttribute('data-instances', '3', { timeout: 15_000 });
  await lab.tab('scaling');
  // The count is live: once the run ends the group may already be scaling in (on a loaded
  // machine reaching 3 can take most of the run), so the timeline is what must show the 3.
  await expect(lab.byTestId('group-count-asg')).toHaveText(/^[1-3]$/);
  await expect(lab.byTestId('scale-event').filter({ hasText: /→3$/ }).first()).toBeVisible();
  await lab.byTestId('lab-tab-traffic').click();
  await lab.expectRunPhase('done');
});

test('drop a route from the route table context menu: the flow is refused naming the blocker; restore it and it is served again', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.fault('rt-public', 'drop-0.0.0.0/0');
  await lab.inspect({ from: 'browser', to: 'nginx' });
  // The design's refusal, not an error (request-refusal.spec.ts checks it in detail).
  await expect(lab.byTestId('request-refused-by')).toHaveText('public');
  await expect(lab.byTestId('request-refused-reason')).toContainText('rt-public');
  await lab.fault('rt-public', 'restore-0.0.0.0/0');
  await lab.inspect({});
  await expect(lab.byTestId('observed-status')).toHaveText('200');
  await expect(lab.byTestId('predicted-hops')).toHaveAttribute('data-verdict', 'reachable');
});

test('save runs as JSON and as a self-contained HTML page, and compare two side by side', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 50, concurrency: 4 });
  await lab.expectRunPhase('done');
  await lab.sendTraffic({ requests: 80 });
  await expect(lab.byTestId('traffic-summary')).toContainText('80 requests');

  await lab.tab('reports');
  const json = lab.page.locator('[data-testid^="report-json-"]');
  await expect(json).toHaveCount(2);
  const [saved] = await Promise.all([lab.page.waitForEvent('download'), json.first().click()]);
  const report = JSON.parse(readFileSync((await saved.path()) ?? '', 'utf8')) as { format: string; summary: { requests: number }; byServer: Record<string, number> };
  expect(report.format).toBe('topolab-run/1');
  expect(report.summary.requests).toBe(50);
  expect(report.byServer).toEqual({ 'backend-1': 25, 'backend-2': 25 });

  const [page] = await Promise.all([lab.page.waitForEvent('download'), lab.page.locator('[data-testid^="report-html-"]').first().click()]);
  const html = readFileSync((await page.path()) ?? '', 'utf8');
  expect(html.match(/<svg /g)).toHaveLength(5);
  expect(html).not.toMatch(/<script[^>]*src=|<link /);

  const options = lab.byTestId('compare-a').locator('option');
  await lab.byTestId('compare-a').selectOption((await options.nth(1).getAttribute('value')) ?? '');
  await lab.byTestId('compare-b').selectOption((await options.nth(2).getAttribute('value')) ?? '');
  const table = lab.byTestId('comparison');
  await expect(table.locator('tr', { hasText: 'Requests' }).first()).toContainText('50');
  await expect(table.locator('tr', { hasText: 'Requests' }).first()).toContainText('80');
});

test('a design with only warnings asks first, then launches when confirmed', async ({ lab, served }) => {
  const design = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/nginx-two-backends.topolab.json'), 'utf8')) as { nodes: unknown[]; layout: Record<string, unknown> };
  design.nodes.push({ id: 'spare-lb', kind: 'load-balancer', name: 'Spare', parent: 'public', port: 8080 });
  design.layout['spare-lb'] = { x: 28, y: 140 };
  writeFileSync(join(served.dir, 'warnings.topolab.json'), JSON.stringify(design));
  await lab.openEditor({ file: 'warnings.topolab.json' });
  await lab.byTestId('lab-launch').click();
  const dialog = lab.byTestId('launch-warnings');
  await expect(dialog.getByTestId('launch-diagnostics')).toContainText('lb-no-targets');
  await lab.byTestId('launch-cancel').click();
  await expect(lab.dock).toHaveAttribute('data-phase', 'idle');
  await lab.byTestId('lab-launch').click();
  await lab.byTestId('launch-anyway').click();
  await lab.expectPhase('running');
  await lab.expectNodeState('nginx', 'healthy');
});

test('run a scenario stored in the design: its faults play on the canvas and every assertion holds', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.tab('scenarios');
  await lab.byTestId('scenario-run-backend-failover').click();
  // At 2 s the scenario stops backend-1: the canvas shows it, then it comes back at 6 s.
  await lab.expectNodeState('backend-1', 'stopped');
  const result = lab.byTestId('scenario-result');
  await expect(result).toHaveAttribute('data-passed', 'yes', { timeout: 30_000 });
  await expect(result.getByTestId('scenario-assertion').and(lab.page.locator('[data-passed="no"]'))).toHaveCount(0);
  await lab.expectNodeState('backend-1', 'healthy');
});

test('a design that runs its own commands asks before launching them', async ({ lab, served }) => {
  const design = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/nginx-two-backends.topolab.json'), 'utf8')) as { nodes: Record<string, unknown>[] };
  const server = design.nodes.find((n) => n['id'] === 'backend-2');
  if (!server) throw new Error('the example lost backend-2');
  server['command'] = `node -e "require('http').createServer((q,s)=>{s.setHeader('x-served-by','backend-2');s.end('hi')}).listen(+process.env.PORT,process.env.HOST)"`;
  writeFileSync(join(served.dir, 'commands.topolab.json'), JSON.stringify(design));
  await lab.openEditor({ file: 'commands.topolab.json' });
  await lab.byTestId('lab-launch').click();
  const dialog = lab.byTestId('launch-commands');
  await expect(dialog).toContainText('backend-2');
  await expect(dialog).toContainText('createServer');
  await lab.byTestId('launch-commands-cancel').click();
  await expect(lab.dock).toHaveAttribute('data-phase', 'idle');
  await lab.byTestId('lab-launch').click();
  await lab.byTestId('launch-commands-run').click();
  await lab.expectPhase('running');
  await lab.expectNodeState('backend-2', 'healthy');
  await lab.inspect({ from: '', to: 'backend-2' });
  await expect(lab.byTestId('observed-served-by')).toHaveText('backend-2');
});

test('weights and the algorithm edited in the inspector apply to the running balancer', async ({ lab }) => {
  await lab.openEditor({ file: 'nginx-two-backends.topolab.json' });
  await lab.launch();
  await lab.select('nginx');
  await lab.field('algorithm').selectOption('weighted-round-robin');
  await expect(lab.byTestId('toast').filter({ hasText: 'Applied live: algorithm of nginx set to weighted-round-robin' })).toBeVisible();
  await lab.select('backend-1');
  await lab.field('weight').fill('3');
  await expect(lab.byTestId('toast').filter({ hasText: 'Applied live: weight of backend-1 set to 3' })).toBeVisible();
  await lab.sendTraffic({ from: 'browser', to: 'nginx', requests: 80, concurrency: 1 });
  await lab.expectRunPhase('done');
  expect(await lab.backendCounts()).toEqual({ 'backend-1': 60, 'backend-2': 20 });
});

test('a security group rule edited in its table while the lab runs applies to the next request, and undo restores it', async ({ lab }) => {
  await lab.page.setViewportSize({ width: 1280, height: 800 });
  await lab.openEditor({ file: 'three-tier-filtered.topolab.json' });
  await lab.launch();
  await lab.inspect({ from: 'visitor', to: 'web-lb' });
  await expect(lab.byTestId('observed-status')).toHaveText('200');
  // The app tier now admits the balancer on 9090 only, where nothing listens: both servers are refused.
  await lab.select('sg-app');
  await lab.byTestId('sg-inbound-ports-0').fill('9090');
  await expect(lab.byTestId('toast').filter({ hasText: 'Applied live: security group sg-app: inbound changed' })).toBeVisible();
  await lab.inspect({});
  await expect(lab.byTestId('observed-status')).toHaveText('502');
  await lab.command('edit.undo');
  await expect.poll(async () => ((await lab.modelNode('sg-app'))['inbound'] as { ports: string }[])[0]?.ports).toBe('8080');
  await expect(lab.byTestId('toast').filter({ hasText: 'Applied live: security group sg-app: inbound changed' }).nth(1)).toBeVisible();
  await lab.inspect({});
  await expect(lab.byTestId('observed-status')).toHaveText('200');
});
