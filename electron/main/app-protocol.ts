/**
 * Serves the built renderer (dist/renderer) under `topolab://app/`, with the content
 * security policy on every response. A custom scheme instead of file:// (Electron's
 * checklist, item "avoid file://"): the page's origin is the app alone, the CSP travels
 * as a header, and file:// keeps no extra privileges (the fuse is off in packaged builds).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.js';

/** Content types of what a Vite build emits. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The privileges the scheme is registered with before `ready` (module scripts need CORS and fetch). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
} as const;

/**
 * The file under `rendererDir` a `topolab://app/...` URL names, or `undefined` for any other
 * host, a path escaping the folder, or an encoded separator. `/` is the index page.
 */
export function resolveAppFile(rendererDir: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== 'app') return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = normalize(rendererDir + sep);
  const file = normalize(join(root, relative));
  return file.startsWith(root) ? file : undefined;
}

/** The content type of a served file. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Answers one request to the app scheme (the body of `protocol.handle`). */
export async function serveAppRequest(rendererDir: string, request: { url: string; method: string }): Promise<Response> {
  const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers });
  const file = resolveAppFile(rendererDir, request.url);
  if (!file) return new Response('not found', { status: 404, headers });
  try {
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...headers, 'Content-Type': contentTypeOf(file) } });
  } catch {
    return new Response('not found', { status: 404, headers });
  }
}
