import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/api/contract/index.js';
import { createBridgeClient } from '../../../renderer/api/bridge.js';
import { createApiClient } from '../../../renderer/api/index.js';
import { unwrapReply } from '../../../renderer/api/reply.js';

describe('unwrapReply', () => {
  it('returns the result, including falsy ones', () => {
    expect(unwrapReply({ result: { ok: true } }, 'm')).toEqual({ ok: true });
    expect(unwrapReply({ result: null }, 'm')).toBeNull();
    expect(unwrapReply({ result: 0 }, 'm')).toBe(0);
  });

  it('throws the ApiError an error frame carries, with code and issues', () => {
    try {
      unwrapReply({ error: { code: 'bad-input', message: 'cidr: expected string', issues: [{ path: 'cidr', message: 'expected string' }] } }, 'cidr.info');
      throw new Error('unreachable');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'bad-input', message: 'cidr: expected string', issues: [{ path: 'cidr' }] });
    }
  });

  it("keeps an error's refusal when every field is a string, and drops one that is not", () => {
    const refusal = { from: 'browser', to: 'nginx', blockedBy: 'public', code: 'private-subnet', reason: 'no route to the internet' };
    const thrown = (extra: unknown): unknown => {
      try {
        unwrapReply({ error: { code: 'failed', message: 'refused', refusal: extra } }, 'lab.load');
      } catch (error) {
        return error;
      }
      throw new Error('unreachable');
    };
    expect(thrown({ ...refusal, extra: 'ignored' })).toMatchObject({ code: 'failed', message: 'refused', refusal });
    expect((thrown({ ...refusal, extra: 'ignored' }) as ApiError).refusal).toEqual(refusal);
    for (const bad of [{ ...refusal, code: 7 }, { from: 'browser' }, 'refused', null, [refusal]]) {
      const error = thrown(bad);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).refusal).toBeUndefined();
    }
  });

  it.each([[undefined], ['text'], [{}], [{ error: 'boom' }], [{ error: { code: 'made-up', message: 'x' } }]])('treats %j as a broken transport', (reply) => {
    expect(() => unwrapReply(reply, 'files.list')).toThrow(expect.objectContaining({ code: 'failed', message: expect.stringContaining('files.list') }));
  });
});

describe('createBridgeClient', () => {
  it('unwraps replies and passes subscriptions through', async () => {
    const listeners: ((payload: unknown) => void)[] = [];
    const client = createBridgeClient({
      call: async (method, input) => (method === 'files.list' ? { result: { files: [], echo: input } } : { error: { code: 'unknown-method', message: `unknown method "${method}"` } }),
      subscribe: (_event, listener) => {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
    });
    expect(await client.call('files.list', {})).toEqual({ files: [], echo: {} });
    await expect(client.call('files.read', { name: 'x.topolab.json' })).rejects.toMatchObject({ code: 'unknown-method' });
    const seen: unknown[] = [];
    const stop = client.subscribe('files.changed', (entry) => seen.push(entry));
    listeners[0]?.({ name: 'a', size: 1, mtime: 2 });
    stop();
    expect(seen).toEqual([{ name: 'a', size: 1, mtime: 2 }]);
    expect(listeners).toHaveLength(0);
  });

  it('turns a bridge that throws into a "failed" ApiError', async () => {
    const client = createBridgeClient({
      call: () => Promise.reject(new Error('Error invoking remote method')),
      subscribe: () => () => undefined,
    });
    await expect(client.call('files.list', {})).rejects.toMatchObject({ name: 'ApiError', code: 'failed', message: expect.stringContaining('desktop shell') });
  });
});

describe('createApiClient', () => {
  it('picks the preload bridge when the page has one', async () => {
    const client = createApiClient({ topolab: { call: async () => ({ result: 'from the bridge' }), subscribe: () => () => undefined }, location: { origin: 'http://127.0.0.1:1' } });
    expect(await client.call('files.list', {})).toBe('from the bridge');
  });

  it('uses HTTP to the page origin otherwise, and refuses a page that has neither', () => {
    expect(createApiClient({ location: { origin: 'http://127.0.0.1:5173' } })).toHaveProperty('close');
    expect(() => createApiClient({ location: { origin: 'null' } })).toThrow(/no Topolab service/);
    expect(() => createApiClient({ topolab: { call: 'not a function' } })).toThrow(/no Topolab service/);
  });
});
