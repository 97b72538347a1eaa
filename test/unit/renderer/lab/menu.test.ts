import { describe, expect, it } from 'vitest';
import { subscribeLabMenu, type LabMenuCommand } from '../../../../renderer/lab/menu.js';

/** A stand-in for the preload bridge: records subscriptions and lets the test emit events. */
function bridge() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  return {
    call: () => Promise.resolve({ result: null }),
    subscribe(event: string, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    count: (event: string) => listeners.get(event)?.size ?? 0,
  };
}

describe('desktop menu lab commands', () => {
  it('passes the lab commands on, ignores the rest and bad payloads, and unsubscribes', () => {
    const topolab = bridge();
    const seen: LabMenuCommand[] = [];
    const off = subscribeLabMenu({ topolab }, (command) => seen.push(command));
    expect(topolab.count('app.menu')).toBe(1);
    topolab.emit('app.menu', { command: 'lab.launch' });
    topolab.emit('app.menu', { command: 'file.save' });
    topolab.emit('app.menu', null);
    topolab.emit('app.menu', { command: 7 });
    topolab.emit('app.menu', { command: 'lab.traffic' });
    expect(seen).toEqual(['lab.launch', 'lab.traffic']);
    off();
    expect(topolab.count('app.menu')).toBe(0);
  });

  it('subscribes to nothing in a browser', () => {
    expect(subscribeLabMenu({}, () => undefined)()).toBeUndefined();
  });
});
