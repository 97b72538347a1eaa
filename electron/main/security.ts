/**
 * Electron's security checklist in one place: the window's web preferences, the content
 * security policy, and the guards on navigation, new windows and permissions. The pure
 * parts (what is allowed) are separate from the wiring so they are tested without Electron.
 */
import type { Session, WebContents, WebPreferences } from 'electron';

/** The scheme the app's own page is served from (see app-protocol.ts). */
export const APP_SCHEME = 'topolab';
/** The origin of the app's own page. */
export const APP_ORIGIN = `${APP_SCHEME}://app`;
/** The URL of the page every window loads (a query may be added). */
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/**
 * The page gets scripts and styles only from the app itself; no plugins, no frames, no
 * remote connections (the API goes over IPC, not the network). Inline styles are allowed
 * because React Flow positions nodes with style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The web preferences of every window: the six checklist settings and their relatives. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** Whether a URL is the app's own page (any query or hash). */
export function isAppPageUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app' && (parsed.pathname === '/index.html' || parsed.pathname === '/');
  } catch {
    return false;
  }
}

/** Links the system browser may open: http and https only (never file:, javascript:, custom schemes). */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Everything the guards need from the outside world. */
export interface GuardDeps {
  openExternal(url: string): void;
  log(message: string): void;
}

/**
 * Guards one web contents: navigation away from the app and redirects are refused,
 * `window.open` is denied (http/https links go to the system browser), `<webview>` is
 * never attached.
 */
export function guardWebContents(contents: WebContents, deps: GuardDeps): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    deps.log(`refused navigation to ${url}`);
    if (isExternalLink(url)) deps.openExternal(url);
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', (event, url) => {
    if (isAppPageUrl(url)) return;
    event.preventDefault();
    deps.log(`refused redirect to ${url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.log('refused a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    deps.log(`refused window.open(${url})`);
    if (isExternalLink(url)) deps.openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * Denies every permission (camera, notifications, clipboard reads, geolocation, ...),
 * both the prompts and the silent checks, and sends the CSP with every response.
 */
export function guardSession(session: Session, deps: Pick<GuardDeps, 'log'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    deps.log(`denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
