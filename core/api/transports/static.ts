import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** Content types of what a Vite build emits (and a little more). */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The content type for a file name (`application/octet-stream` when unknown, so nothing is sniffed). */
export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The Content-Security-Policy of the app; the WebSocket of the events API is the only other connection. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Headers every response of the server carries. */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/**
 * Vite puts content-hashed files under `assets/`: they never change, so they are cached
 * for a year; everything else (index.html above all) is revalidated so a rebuild shows.
 */
export function cacheControlFor(relativePath: string): string {
  if (relativePath === 'index.html') return 'no-store';
  if (relativePath.startsWith(`assets${sep}`) || relativePath.startsWith('assets/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

/** Shown instead of the app when `dist/renderer` has not been built. */
export function notBuiltPage(rendererRoot: string): string {
  const escaped = rendererRoot.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Topolab is not built yet</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#eee;padding:.1rem .3rem;border-radius:3px}</style>
</head><body data-testid="not-built">
<h1>Topolab is not built yet</h1>
<p>The app's files were not found in <code>${escaped}</code>.</p>
<p>Run <code>npm run build</code> in the Topolab folder, then reload this page.
The API under <code>/api/</code> is already running.</p>
</body></html>
`;
}

/**
 * Serves the built renderer: files under the root with their MIME type and cache policy;
 * any other path without a file extension gets index.html (the app routes on the client,
 * e.g. `/?file=NAME.topolab.json`); a missing build gets a page that says how to build.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, rendererRoot: string, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad path encoding\n');
    return;
  }
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  const hidden = relative.split(/[/\\]/).some((part) => part.startsWith('.'));
  if (decoded.includes('\0') || relative.startsWith('..') || hidden) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const file = relative === '' ? 'index.html' : relative;
  if (await sendFile(req, res, rendererRoot, file)) return;
  // The build's URLs are relative (`base: './'`), so a page under a nested path asks for
  // `nested/assets/x.js`: answer from the one assets folder.
  const assets = file.indexOf(`${sep}assets${sep}`);
  if (assets > 0 && (await sendFile(req, res, rendererRoot, file.slice(assets + 1)))) return;
  if (extname(file) !== '' && file !== 'index.html') {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' }).end('not found\n');
    return;
  }
  if (await sendFile(req, res, rendererRoot, 'index.html')) return;
  res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : notBuiltPage(rendererRoot));
}

/** Sends one file if it exists; false when it does not. */
async function sendFile(req: IncomingMessage, res: ServerResponse, root: string, relative: string): Promise<boolean> {
  const path = join(root, relative);
  const stats = await stat(path).catch(() => undefined);
  if (!stats?.isFile()) return false;
  res.writeHead(200, {
    'Content-Type': mimeTypeFor(path),
    'Content-Length': stats.size,
    'Cache-Control': cacheControlFor(relative),
    'Last-Modified': stats.mtime.toUTCString(),
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(path);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
  return true;
}
