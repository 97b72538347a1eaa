import { afterEach, describe, expect, it } from 'vitest';
import { createService, type ShellHandlers } from '../../../core/api/index.js';
import type { ServerEventFrame } from '../../../core/api/transports/frames.js';
import { IPC_CHANNELS } from '../../../core/api/transports/ipc.js';
import { LabPortClient, serveOverPort } from '../../../electron/lab/protocol.js';
import { handleCall, handleEventFrame, registerIpc, senderProblem, type IpcEventLike, type WindowEndpoint } from '../../../electron/main/ipc.js';
import { CALL_CHANNEL, CHANNEL_PREFIX, EVENTS_CHANNEL } from '../../../electron/shared/channels.js';
import { APP_FRAME, portPair } from './helpers.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A window whose lab is the real core service behind the real port protocol. */
function windowEndpoint() {
  const pair = portPair();
  closers.push(pair.close);
  const sent: ServerEventFrame[] = [];
  serveOverPort(createService(), pair.b);
  const lab = new LabPortClient(pair.a, (frame) => sent.push(frame));
  const shellCalls: unknown[] = [];
  const shell: ShellHandlers = {
    'app.changed': (input) => (shellCalls.push(input), null),
    'app.closeReply': (input) => (shellCalls.push(input), null),
  };
  const endpoint: WindowEndpoint = { shell, lab, send: (frame) => sent.push(frame), shellSubscriptions: new Set() };
  return { endpoint, sent, shellCalls };
}

const OWN_CONTENTS = { id: 1 };

function setup() {
  const window = windowEndpoint();
  const logs: string[] = [];
  const deps = { endpointFor: (sender: unknown) => (sender === OWN_CONTENTS ? window.endpoint : undefined), log: (line: string) => void logs.push(line) };
  return { ...window, deps, logs };
}

const fromApp: IpcEventLike = { sender: OWN_CONTENTS, senderFrame: APP_FRAME };

/** Waits for the port's asynchronous delivery of a frame. */
async function waitFor(frames: ServerEventFrame[], predicate: (frame: ServerEventFrame) => boolean): Promise<void> {
  for (let i = 0; i < 200 && !frames.some(predicate); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(frames.some(predicate)).toBe(true);
}

describe('the sender check', () => {
  it.each([
    ['the app page', APP_FRAME, undefined],
    ['the app root', { url: 'topolab://app/', parent: null }, undefined],
    ['a sub-frame of the app', { url: 'topolab://app/index.html', parent: { url: 'topolab://app/index.html' } }, /sub-frame/],
    ['a web page', { url: 'https://evil.example/index.html', parent: null }, /not the app/],
    ['a file page', { url: 'file:///tmp/index.html', parent: null }, /not the app/],
    ['another page of the scheme', { url: 'topolab://app/other.html', parent: null }, /not the app/],
    ['another host of the scheme', { url: 'topolab://evil/index.html', parent: null }, /not the app/],
    ['a vanished frame', null, /gone/],
  ])('%s', (_name, frame, expected) => {
    const problem = senderProblem({ sender: OWN_CONTENTS, senderFrame: frame });
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('topolab:call', () => {
  it('serves a core method from the app page', async () => {
    const { deps } = setup();
    expect(await handleCall(deps, fromApp, 'cidr.info', { cidr: '10.1.0.0/16' })).toMatchObject({ result: { ok: true } });
  });

  it('rejects and logs bad input with the schema issues, for core and shell methods', async () => {
    const { deps, logs, shellCalls } = setup();
    const core = await handleCall(deps, fromApp, 'cidr.plan', { vpcCidr: '10.0.0.0/16', requests: 'lots' });
    expect(core).toMatchObject({ error: { code: 'bad-input', issues: [{ path: 'requests' }] } });
    const shell = await handleCall(deps, fromApp, 'app.changed', { dirty: 'yes', extra: 1 });
    expect(shell).toMatchObject({ error: { code: 'bad-input' } });
    expect(shellCalls).toEqual([]);
    expect(logs.filter((line) => line.startsWith('rejected input'))).toHaveLength(2);
  });

  it('rejects unknown and non-string methods', async () => {
    const { deps } = setup();
    expect(await handleCall(deps, fromApp, 'process.exit', {})).toMatchObject({ error: { code: 'unknown-method' } });
    expect(await handleCall(deps, fromApp, { toString: () => 'x' }, {})).toMatchObject({ error: { code: 'unknown-method' } });
  });

  it('runs shell methods in the main process', async () => {
    const { deps, shellCalls } = setup();
    expect(await handleCall(deps, fromApp, 'app.changed', { dirty: true, name: 'web.topolab.json' })).toEqual({ result: null });
    expect(await handleCall(deps, fromApp, 'app.closeReply', { requestId: 3, close: false })).toEqual({ result: null });
    expect(shellCalls).toEqual([{ dirty: true, name: 'web.topolab.json' }, { requestId: 3, close: false }]);
  });

  it.each([
    ['a foreign page', { sender: OWN_CONTENTS, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a sub-frame', { sender: OWN_CONTENTS, senderFrame: { url: 'topolab://app/index.html', parent: {} } }],
    ['a web contents the shell did not create', { sender: { id: 99 }, senderFrame: APP_FRAME }],
  ])('refuses and logs %s, running nothing', async (_name, event) => {
    const { deps, logs, shellCalls } = setup();
    expect(await handleCall(deps, event, 'app.changed', { dirty: true })).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    expect(await handleCall(deps, event, 'cidr.info', { cidr: '10.0.0.0/8' })).toMatchObject({ error: { code: 'forbidden' } });
    expect(shellCalls).toEqual([]);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^refused a call of app\.changed/);
  });
});

describe('topolab:events', () => {
  it('acknowledges shell events in main (remembering them) and relays the rest to the lab', async () => {
    const { deps, sent, endpoint } = setup();
    handleEventFrame(deps, fromApp, { subscribe: 'app.menu' });
    handleEventFrame(deps, fromApp, { subscribe: 'app.close' });
    handleEventFrame(deps, fromApp, { unsubscribe: 'app.menu' });
    expect(sent).toEqual([{ subscribed: 'app.menu' }, { subscribed: 'app.close' }, { unsubscribed: 'app.menu' }]);
    expect([...endpoint.shellSubscriptions]).toEqual(['app.close']);
    handleEventFrame(deps, fromApp, { subscribe: 'files.changed' });
    await waitFor(sent, (frame) => 'subscribed' in frame && frame.subscribed === 'files.changed');
    handleEventFrame(deps, fromApp, { subscribe: 'no.such.event' });
    await waitFor(sent, (frame) => 'error' in frame && frame.error.code === 'bad-input');
  });

  it('ignores frames from foreign senders', async () => {
    const { deps, sent, logs } = setup();
    handleEventFrame(deps, { sender: OWN_CONTENTS, senderFrame: { url: 'https://evil.example/', parent: null } }, { subscribe: 'app.menu' });
    expect(sent).toEqual([]);
    expect(logs[0]).toMatch(/refused an events frame/);
  });
});

describe('registration', () => {
  it('uses exactly the two channels of the core IPC transport, all under one prefix', async () => {
    expect({ call: CALL_CHANNEL, events: EVENTS_CHANNEL }).toEqual(IPC_CHANNELS);
    const handled: string[] = [];
    const listened: string[] = [];
    const { deps } = setup();
    registerIpc({ handle: (channel) => void handled.push(channel), on: (channel) => void listened.push(channel) }, deps);
    expect([...handled, ...listened]).toEqual([CALL_CHANNEL, EVENTS_CHANNEL]);
    expect([...handled, ...listened].every((channel) => channel.startsWith(CHANNEL_PREFIX))).toBe(true);
  });
});
