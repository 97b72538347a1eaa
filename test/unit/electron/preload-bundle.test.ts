/**
 * Reads the BUILT preload (what ships), runs it against a recording fake of Electron's
 * renderer modules, and checks it exposes only the contract: one key, `call` and
 * `subscribe`, over `topolab:` channels only.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_PREFIX } from '../../../electron/shared/channels.js';
import { REPO_ROOT, ensureShellBuilt } from './helpers.js';

const BUNDLE = `${REPO_ROOT}dist/electron/preload/index.cjs`;

let source = '';
beforeAll(() => {
  ensureShellBuilt();
  source = readFileSync(BUNDLE, 'utf8');
}, 120_000);

interface Recorded {
  required: string[];
  electronProperties: Set<string>;
  exposed: [string, unknown][];
  invoked: [string, unknown[]][];
  sent: [string, unknown][];
  listeners: Map<string, (event: unknown, frame: unknown) => void>;
}

/** Runs the bundle in a fresh context with a recording `require('electron')`. */
function runBundle(): Recorded {
  const recorded: Recorded = { required: [], electronProperties: new Set(), exposed: [], invoked: [], sent: [], listeners: new Map() };
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      recorded.invoked.push([channel, args]);
      return { result: { echo: args } };
    },
    send: (channel: string, frame: unknown) => void recorded.sent.push([channel, frame]),
    on: (channel: string, listener: (event: unknown, frame: unknown) => void) => void recorded.listeners.set(channel, listener),
  };
  const contextBridge = { exposeInMainWorld: (key: string, value: unknown) => void recorded.exposed.push([key, value]) };
  const electron = new Proxy(
    { ipcRenderer, contextBridge },
    {
      get(target, property) {
        recorded.electronProperties.add(String(property));
        return target[property as keyof typeof target];
      },
    },
  );
  const module = { exports: {} };
  const require = (name: string) => {
    recorded.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`the preload may not require ${name}`);
  };
  runInNewContext(source, { require, module, exports: module.exports, console });
  return recorded;
}

describe('the built preload bundle', () => {
  it('requires only electron, and uses only contextBridge and ipcRenderer from it', () => {
    const recorded = runBundle();
    expect(new Set(recorded.required)).toEqual(new Set(['electron']));
    expect([...recorded.electronProperties].filter((p) => p !== '__esModule' && p !== 'default').sort()).toEqual(['contextBridge', 'ipcRenderer']);
  });

  it('exposes exactly { call, subscribe } under the one key `topolab`', () => {
    const { exposed } = runBundle();
    expect(exposed.map(([key]) => key)).toEqual(['topolab']);
    const api = exposed[0]?.[1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'subscribe']);
    expect(typeof api.call).toBe('function');
    expect(typeof api.subscribe).toBe('function');
  });

  it('passes calls and subscriptions over topolab: channels only, and delivers events', async () => {
    const recorded = runBundle();
    const api = recorded.exposed[0]?.[1] as {
      call(method: string, input: unknown): Promise<unknown>;
      subscribe(event: string, listener: (payload: unknown) => void): () => void;
    };
    expect(await api.call('validate', { topology: {} })).toEqual({ result: { echo: ['validate', { topology: {} }] } });
    const payloads: unknown[] = [];
    const unsubscribe = api.subscribe('lab.status', (payload) => payloads.push(payload));
    for (const listener of recorded.listeners.values()) listener({}, { event: 'lab.status', payload: { state: 'running' } });
    unsubscribe();
    expect(payloads).toEqual([{ state: 'running' }]);
    expect(recorded.sent.map(([, frame]) => frame)).toEqual([{ subscribe: 'lab.status' }, { unsubscribe: 'lab.status' }]);
    const channels = [...recorded.invoked.map(([c]) => c), ...recorded.sent.map(([c]) => c), ...recorded.listeners.keys()];
    expect(channels.length).toBeGreaterThan(0);
    for (const channel of channels) expect(channel.startsWith(CHANNEL_PREFIX), channel).toBe(true);
    expect(new Set(channels)).toEqual(new Set(['topolab:call', 'topolab:events']));
  });

  it('names no other channel and touches no Node API in its code', () => {
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const channelLiterals = code.match(/["'`]topolab:[^"'`]*["'`]/g) ?? [];
    expect(new Set(channelLiterals.map((l) => l.slice(1, -1)))).toEqual(new Set(['topolab:call', 'topolab:events']));
    expect(code).not.toMatch(/\bprocess\.|require\(["'](?!electron["'])|child_process|node:/);
  });
});
