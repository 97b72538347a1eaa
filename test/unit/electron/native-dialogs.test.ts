import type { BaseWindow } from 'electron';
import { describe, expect, it } from 'vitest';
import { createNativeDialogs, type DialogApi } from '../../../electron/main/native-dialogs.js';

const OWNER = { id: 'window-1' } as unknown as BaseWindow;

/** A recording `dialog`: each call's owner and options, answered from a script. */
function recorder(answer: { canceled?: boolean; filePaths?: string[]; response?: number }) {
  const calls: { method: string; owner: unknown; options: Record<string, unknown> }[] = [];
  const record = (method: string) => async (...args: unknown[]) => {
    calls.push({ method, owner: args.length > 1 ? args[0] : undefined, options: args.at(-1) as Record<string, unknown> });
    return { canceled: false, filePaths: [], checkboxChecked: false, response: 0, ...answer };
  };
  const dialog = { showOpenDialog: record('open'), showMessageBox: record('message') } as unknown as DialogApi;
  return { calls, dialogs: createNativeDialogs(dialog, (id) => (id === 1 ? OWNER : undefined), '/home/me/designs') };
}

describe('native dialogs', () => {
  it('open starts in the designs folder, attached to the window, and returns nothing when cancelled', async () => {
    const chosen = recorder({ filePaths: ['/a.topolab.json', '/b.topolab.json'] });
    expect(await chosen.dialogs.chooseDesignsToOpen(1)).toEqual(['/a.topolab.json', '/b.topolab.json']);
    expect(chosen.calls[0]).toMatchObject({ method: 'open', owner: OWNER, options: { defaultPath: '/home/me/designs', properties: ['openFile', 'multiSelections'] } });
    expect(await recorder({ canceled: true, filePaths: ['/x'] }).dialogs.chooseDesignsToOpen(null)).toEqual([]);
  });

  it.each([
    [0, 'save'],
    [1, 'discard'],
    [2, 'cancel'],
  ] as const)('unsaved changes: button %i means %s', async (response, answer) => {
    const asked = recorder({ response });
    expect(await asked.dialogs.askSaveChanges(1, 'web.topolab.json')).toBe(answer);
    expect(asked.calls[0]?.options).toMatchObject({ message: 'Save the changes to web.topolab.json?', buttons: ['Save', "Don't Save", 'Cancel'], cancelId: 2 });
  });
});
