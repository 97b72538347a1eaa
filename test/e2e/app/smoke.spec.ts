import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, REPO_ROOT, test } from '../support/index.js';

// The first thing a user sees: the served app loads, renders its root, and logs no errors.
test('the served app loads without console errors', async ({ app, page }) => {
  const response = await page.goto(app.baseUrl);
  expect(response?.status(), 'index.html (a 503 means dist/renderer is not built: run npm run build)').toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await app.ready();
  await app.screenshot('smoke-empty-app');
  expect(app.consoleErrors).toEqual([]);
});

// What the renderer's API client relies on, from a real page under the real CSP: a
// same-origin POST passes the Host/Origin guard, and the events WebSocket is allowed by
// connect-src and acknowledged. (Runs on any page of the server, built or not.)
test('a page of the server can call the API and open the events socket', async ({ app, page }) => {
  await page.goto(app.baseUrl);
  const outcome = await page.evaluate(async () => {
    const reply = await fetch('/api/call/files.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const listed = { status: reply.status, body: (await reply.json()) as unknown };
    const socket = new WebSocket(`ws://${location.host}/api/events`);
    const ack = await new Promise<string>((resolve) => {
      socket.addEventListener('open', () => socket.send(JSON.stringify({ subscribe: 'files.changed' })));
      socket.addEventListener('message', (event) => resolve(String(event.data)));
      socket.addEventListener('error', () => resolve('socket error'));
    });
    socket.close();
    return { listed, ack };
  });
  expect(outcome.listed.status).toBe(200);
  expect(outcome.listed.body).toMatchObject({ result: { files: expect.any(Array) } });
  expect(JSON.parse(outcome.ack)).toEqual({ subscribed: 'files.changed' });
  expect(app.consoleErrors.filter((message) => /Content Security Policy|WebSocket/i.test(message))).toEqual([]);
});

test('a request from another site changes nothing', async ({ app, page, served }) => {
  // A "simple" cross-site POST (no preflight) is one a browser really sends: the server must not act on it.
  await page.goto('about:blank');
  await page.evaluate(async (url) => {
    await fetch(`${url}api/call/files.write`, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ name: 'pwned.topolab.json', text: 'written by another site' }),
    }).catch(() => undefined);
  }, app.baseUrl);
  // The same request from the app's own page does reach the service (so the check above is not vacuous).
  await page.goto(app.baseUrl);
  const own = await page.evaluate(async () => {
    const reply = await fetch('/api/call/files.write', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'own.topolab.json', text: 'ok' }) });
    return reply.status;
  });
  expect(own).toBe(200);
  expect(existsSync(join(served.dir, 'own.topolab.json'))).toBe(true);
  expect(existsSync(join(served.dir, 'pwned.topolab.json'))).toBe(false);
});

// Tests share their worker's server, and with two workers which tests ran before one in its
// worker changes from run to run: so each test gets it back as it started, and the worker's
// one page (support/fixtures.ts) with empty storage. The first of this pair leaves a design,
// an unsaved-work backup, a running lab and keys in the page's storage; the second (next in
// the same worker: a file's tests run in order) sees none of them.
const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples')).filter((name) => name.endsWith('.topolab.json')).sort();

test('a test leaves a file, a backup and a running lab on its worker\'s server', async ({ served, app, page }) => {
  await page.goto(app.baseUrl);
  await page.evaluate(() => {
    localStorage.setItem('left-behind', 'yes');
    sessionStorage.setItem('left-behind', 'yes');
  });
  await served.call('files.write', { name: 'left-behind.topolab.json', text: '{}' });
  await served.call('files.backup', { key: 'untitled', text: '{}' });
  const topology = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'nginx-two-backends.topolab.json'), 'utf8')) as unknown;
  await served.call('lab.start', { topology });
  expect(((await served.call('lab.status', {})) as { state: string }).state).toBe('running');
});

test('the next test on that server finds the examples alone, no backup and no lab, and its page empty storage', async ({ served, app, page }) => {
  await page.goto(app.baseUrl);
  expect(await page.evaluate(() => [localStorage.getItem('left-behind'), sessionStorage.getItem('left-behind')])).toEqual([null, null]);
  const listed = (await served.call('files.list', {})) as { files: { name: string }[] };
  expect(listed.files.map((f) => f.name).sort()).toEqual(EXAMPLES);
  expect(await served.call('files.backups', {})).toEqual({ backups: [] });
  expect(((await served.call('lab.status', {})) as { state: string }).state).toBe('idle');
});
