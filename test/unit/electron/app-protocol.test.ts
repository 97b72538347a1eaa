import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, resolveAppFile, serveAppRequest } from '../../../electron/main/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security.js';

let root: string;
let renderer: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'topolab-app-scheme-'));
  renderer = join(root, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'secret');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the app scheme', () => {
  it('maps URLs to files inside the renderer folder only', () => {
    expect(resolveAppFile(renderer, 'topolab://app/')).toBe(join(renderer, 'index.html'));
    expect(resolveAppFile(renderer, 'topolab://app/assets/app.js?v=1')).toBe(join(renderer, 'assets', 'app.js'));
    for (const url of [
      'topolab://app/../secret.txt',
      'topolab://app/%2e%2e/secret.txt',
      'topolab://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'topolab://app/..%5csecret.txt',
      'topolab://app/%00',
      'topolab://app/%E0%A4%A',
      'topolab://other/index.html',
      'file:///etc/passwd',
    ]) {
      const file = resolveAppFile(renderer, url);
      expect(file === undefined || file.startsWith(renderer + '/'), url).toBe(true);
    }
    expect(resolveAppFile(renderer, 'topolab://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt')).toBeUndefined();
  });

  it('serves files with their type and the CSP, and 404s the rest', async () => {
    const page = await serveAppRequest(renderer, { url: 'topolab://app/index.html', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('/assets/app.js');
    const script = await serveAppRequest(renderer, { url: 'topolab://app/assets/app.js', method: 'GET' });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const escape = await serveAppRequest(renderer, { url: 'topolab://app/%2e%2e/secret.txt', method: 'GET' });
    expect(escape.status).toBe(404);
    expect(escape.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await serveAppRequest(renderer, { url: 'topolab://app/missing.js', method: 'GET' })).status).toBe(404);
    expect((await serveAppRequest(renderer, { url: 'topolab://app/index.html', method: 'POST' })).status).toBe(405);
  });

  it('knows the content types a Vite build emits', () => {
    expect(contentTypeOf('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('a.wasm')).toBe('application/wasm');
    expect(contentTypeOf('a.unknown')).toBe('application/octet-stream');
  });
});
