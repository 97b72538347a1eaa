import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, guardSession, guardWebContents, isAppPageUrl, isExternalLink, secureWebPreferences } from '../../../electron/main/security.js';

describe('web preferences', () => {
  it('turn on isolation and the sandbox and turn off Node everywhere', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it("allow scripts only from the app itself", () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['script-src']).toBe("'self'");
    expect(directives['default-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});

describe('URL checks', () => {
  it.each([
    ['topolab://app/index.html', true],
    ['topolab://app/index.html?file=a.topolab.json#x', true],
    ['topolab://app/', true],
    ['topolab://app/assets/index.js', false],
    ['topolab://other/index.html', false],
    ['file:///app/index.html', false],
    ['https://app/index.html', false],
    ['not a url', false],
  ])('%s is the app page: %s', (url, expected) => expect(isAppPageUrl(url)).toBe(expected));

  it.each([
    ['https://example.com/docs', true],
    ['http://127.0.0.1:8080/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://server/share', false],
    ['topolab://app/index.html', false],
  ])('%s may open in the browser: %s', (url, expected) => expect(isExternalLink(url)).toBe(expected));
});

/** A web contents reduced to the events and the window-open handler the guards use. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  /** Emits like Electron does and answers whether the default was prevented. */
  attempt(event: string, url: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe('web contents guards', () => {
  function guarded() {
    const contents = new FakeContents();
    const opened: string[] = [];
    const logs: string[] = [];
    guardWebContents(contents as unknown as WebContents, { openExternal: (url) => void opened.push(url), log: (l) => void logs.push(l) });
    return { contents, opened, logs };
  }

  it('refuses every navigation; web links go to the system browser', () => {
    const { contents, opened, logs } = guarded();
    expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-navigate', 'topolab://app/index.html?file=other')).toBe(true);
    expect(opened).toEqual(['https://example.com/']);
    expect(logs).toHaveLength(3);
  });

  it('denies window.open, opening only http(s) externally', () => {
    const { contents, opened } = guarded();
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'topolab://app/index.html' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/']);
  });

  it('refuses redirects away from the app and any <webview>', () => {
    const { contents } = guarded();
    expect(contents.attempt('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.attempt('will-redirect', 'topolab://app/index.html')).toBe(false);
    expect(contents.attempt('will-attach-webview', '')).toBe(true);
  });
});

describe('session guards', () => {
  it('deny every permission request and check, and add the CSP to responses', () => {
    let requestHandler: ((c: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    let deviceHandler: (() => boolean) | undefined;
    let headersHandler: ((details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof requestHandler) => (requestHandler = h),
      setPermissionCheckHandler: (h: typeof checkHandler) => (checkHandler = h),
      setDevicePermissionHandler: (h: typeof deviceHandler) => (deviceHandler = h),
      webRequest: { onHeadersReceived: (h: typeof headersHandler) => (headersHandler = h) },
    };
    const logs: string[] = [];
    guardSession(session as unknown as Session, { log: (l) => void logs.push(l) });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      requestHandler?.({}, permission, (g) => (granted = g));
      expect(granted).toBe(false);
    }
    expect(checkHandler?.()).toBe(false);
    expect(deviceHandler?.()).toBe(false);
    expect(logs).toHaveLength(5);
    let headers: Record<string, string[]> | undefined;
    headersHandler?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
