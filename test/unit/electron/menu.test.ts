import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, findMenuItem, type MenuActions } from '../../../electron/main/menu.js';
import { MENU_COMMANDS } from '../../../core/api/index.js';

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    send: (command) => void calls.push(`send ${command}`),
    newWindow: () => void calls.push('new'),
    open: () => void calls.push('open'),
    openRecent: (path) => void calls.push(`recent ${path}`),
    clearRecent: () => void calls.push('clear'),
    closeWindow: () => void calls.push('close'),
    about: () => void calls.push('about'),
  };
  return { calls, actions };
}

const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

describe('the native menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('has File, Edit, View, Lab and Help on %s', (platform) => {
    const { actions } = recorder();
    const labels = buildMenuTemplate({ platform, recent: [], appName: 'Topolab', development: false }, actions).map((item) => item.label);
    expect(labels.slice(platform === 'darwin' ? 1 : 0)).toEqual(['&File', '&Edit', '&View', '&Lab', '&Help']);
  });

  it('sends every page command, once, with the id it is documented under', () => {
    const { calls, actions } = recorder();
    const template = buildMenuTemplate({ platform: 'linux', recent: [], appName: 'Topolab', development: false }, actions);
    for (const command of MENU_COMMANDS) click(findMenuItem(template, command));
    expect(calls).toEqual(MENU_COMMANDS.map((command) => `send ${command}`));
  });

  it('only displays the shortcuts the page handles itself, so a key never acts twice', () => {
    const { actions } = recorder();
    const template = buildMenuTemplate({ platform: 'linux', recent: [], appName: 'Topolab', development: false }, actions);
    expect(findMenuItem(template, 'edit.undo')).toMatchObject({ accelerator: 'CmdOrCtrl+Z', registerAccelerator: false });
    expect(findMenuItem(template, 'file.save')).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    expect(findMenuItem(template, 'file.open')?.registerAccelerator).toBeUndefined();
  });

  it('handles windows and files in the shell: new, open, recent, close', () => {
    const { calls, actions } = recorder();
    const template = buildMenuTemplate({ platform: 'linux', recent: ['/d/a.topolab.json', '/d/b.topolab.json'], appName: 'Topolab', development: false }, actions);
    for (const id of ['file.new', 'file.open', 'file.openRecent.1', 'file.clearRecent', 'file.close', 'help.about']) click(findMenuItem(template, id));
    expect(calls).toEqual(['new', 'open', 'recent /d/b.topolab.json', 'clear', 'close', 'about']);
  });

  it('shows an empty recent list as disabled, and developer tools only in development', () => {
    const { actions } = recorder();
    const release = buildMenuTemplate({ platform: 'linux', recent: [], appName: 'Topolab', development: false }, actions);
    expect(findMenuItem(release, 'file.openRecent')?.submenu).toEqual([{ label: 'No Recent Designs', enabled: false }]);
    expect(JSON.stringify(release)).not.toContain('toggleDevTools');
    const development = buildMenuTemplate({ platform: 'linux', recent: [], appName: 'Topolab', development: true }, actions);
    expect(JSON.stringify(development)).toContain('toggleDevTools');
  });
});
