// The contract's desktop shell methods and events (`app.*`, servedBy 'shell') on every
// transport: the desktop app's IPC answers them in its main process; the core service, and
// so the in-process client, `topolab serve` and the core IPC transport, refuse them with an
// error that says where they live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, methods, MENU_COMMANDS, type EventPayload } from '../../../core/api/contract/index.js';
import { TRANSPORTS, rejectionOf, type OpenTransport } from './harness.js';
import { waitUntil } from '../../support/wait.js';

const SHELL_METHODS = Object.entries(methods).flatMap(([name, spec]) => (spec.servedBy === 'shell' ? [name] : []));
const SHELL_EVENTS = Object.entries(events).flatMap(([name, spec]) => (spec.servedBy === 'shell' ? [name] : []));

it('the contract names its shell methods and events explicitly', () => {
  expect(SHELL_METHODS).toEqual(['app.changed', 'app.closeReply']);
  expect(SHELL_EVENTS).toEqual(['app.menu', 'app.close']);
  expect(Object.keys(methods).filter((name) => name.startsWith('app.'))).toEqual(SHELL_METHODS);
});

describe.each(TRANSPORTS)('shell methods over $name', (transport) => {
  let open: OpenTransport;
  beforeAll(async () => {
    open = await transport.open({});
  });
  afterAll(() => open.close());

  if (transport.name !== 'desktop') {
    it.each(SHELL_METHODS)('%s is refused: only the desktop shell answers it', async (method) => {
      const error = await rejectionOf(open.client.call(method as 'app.changed', { dirty: true, name: null }));
      expect(error.code).toBe('unknown-method');
      expect(error.message).toBe(`"${method}" is a desktop shell method: only the desktop app answers it, over its IPC bridge (not the core service or topolab serve)`);
    });

    it('a shell event cannot be subscribed to', async () => {
      if (transport.name === 'in-process') {
        expect(() => open.client.subscribe('app.menu', () => undefined)).toThrow(/"app\.menu" is a desktop shell event/);
        return;
      }
      // Over HTTP and IPC the refusal comes as an error frame; the core methods still answer after it.
      const off = open.client.subscribe('app.menu', () => undefined);
      await expect(open.client.call('cidr.info', { cidr: '10.0.0.0/24' })).resolves.toMatchObject({ ok: true });
      off();
    });

    if (transport.name === 'http') {
      it('topolab serve answers a raw POST of a shell method with 404 and the reason', async () => {
        const response = await fetch(`${open.http?.url}api/call/app.changed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"dirty":true,"name":null}' });
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({ error: { code: 'unknown-method', message: expect.stringContaining('desktop shell method') } });
      });
    }
    return;
  }

  it('app.changed reaches the shell with the checked input, and answers null', async () => {
    expect(await open.client.call('app.changed', { dirty: true, name: 'web.topolab.json' })).toBeNull();
    expect(await open.client.call('app.changed', { dirty: false, name: null })).toBeNull();
    expect(await open.client.call('app.closeReply', { requestId: 4, close: false })).toBeNull();
    expect(open.shell?.calls).toEqual([
      { method: 'app.changed', input: { dirty: true, name: 'web.topolab.json' } },
      { method: 'app.changed', input: { dirty: false, name: null } },
      { method: 'app.closeReply', input: { requestId: 4, close: false } },
    ]);
  });

  it.each([
    ['app.changed', { dirty: 'yes', name: null }, 'dirty'],
    ['app.changed', { dirty: true }, 'name'],
    ['app.changed', { dirty: true, name: null, text: '{}' }, ''],
    ['app.closeReply', { requestId: 0, close: true }, 'requestId'],
    ['app.closeReply', { requestId: 1.5, close: true }, 'requestId'],
  ] as const)('%s refuses %j with bad-input, running nothing', async (method, input, path) => {
    const before = open.shell?.calls.length;
    const error = await rejectionOf(open.client.call(method, input as never));
    expect(error.code).toBe('bad-input');
    expect(error.issues).toEqual([expect.objectContaining({ path })]);
    expect(open.shell?.calls.length).toBe(before);
  });

  it('the shell events reach a subscribed page, acknowledged by the shell itself', async () => {
    const menu: EventPayload<'app.menu'>[] = [];
    const close: EventPayload<'app.close'>[] = [];
    const offMenu = open.client.subscribe('app.menu', (payload) => menu.push(payload));
    const offClose = open.client.subscribe('app.close', (payload) => close.push(payload));
    // A call waits until its subscriptions are acknowledged, so the shell knows the page listens.
    await open.client.call('cidr.info', { cidr: '10.0.0.0/24' });
    for (const command of MENU_COMMANDS) open.shell?.emit('app.menu', { command });
    open.shell?.emit('app.close', { requestId: 9, save: true });
    await waitUntil(() => menu.length === MENU_COMMANDS.length && close.length === 1, 'the shell events');
    expect(menu.map((payload) => payload.command)).toEqual([...MENU_COMMANDS]);
    expect(close).toEqual([{ requestId: 9, save: true }]);
    offMenu();
    offClose();
  });

  it('core methods and events still go to the service behind the shell', async () => {
    expect(await open.client.call('cidr.info', { cidr: '10.0.0.0/24' })).toMatchObject({ ok: true });
    expect((await rejectionOf(open.client.call('files.list', {}))).message).toMatch(/no folder/);
  });
});
