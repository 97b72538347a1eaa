import { expect, test } from '../support/index.js';

// The first thing a user sees: the served app loads, renders its root, and logs no errors.
test('the served app loads without console errors', async ({ app, page }) => {
  const response = await page.goto(app.baseUrl);
  expect(response?.status(), 'index.html (a 503 means dist/renderer is not built)').toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await app.ready();
  await app.screenshot('smoke-empty-app');
  expect(app.consoleErrors).toEqual([]);
});

test('the API answers the page from its own origin', async ({ app, page }) => {
  await app.open();
  const listed = await page.evaluate(async () => {
    const reply = await fetch('/api/call/files.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return { status: reply.status, body: (await reply.json()) as unknown };
  });
  expect(listed.status).toBe(200);
  expect(listed.body).toMatchObject({ result: { files: expect.any(Array) } });
  expect(app.consoleErrors).toEqual([]);
});
