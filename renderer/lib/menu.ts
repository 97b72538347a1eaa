import { useEffect } from 'react';
import { apiClient } from './api.js';
import { useCommandRunner } from './useCommands.js';

/**
 * The desktop shell's native menu sends `{ command }` as the `app.menu` event (see
 * docs/desktop.md, electron/shared/menu-commands.ts). Each id maps to the command the
 * toolbar and keyboard run, so a menu item and its shortcut do exactly the same thing.
 * `lab.*` ids belong to lab mode, which subscribes to them itself.
 */
export const MENU_TO_COMMAND: Readonly<Record<string, string>> = {
  'file.save': 'file.save',
  'file.saveAs': 'file.save-as',
  'file.export': 'tools.export',
  'edit.undo': 'edit.undo',
  'edit.redo': 'edit.redo',
  'edit.duplicate': 'edit.duplicate',
  'edit.delete': 'edit.delete',
  'edit.selectAll': 'edit.select-all',
  'view.zoomIn': 'view.zoom-in',
  'view.zoomOut': 'view.zoom-out',
  'view.zoomToFit': 'view.fit',
  'view.toggleMinimap': 'view.minimap',
  'view.toggleDiagnostics': 'view.diagnostics',
  'view.toggleTheme': 'view.theme',
  'help.shortcuts': 'view.help',
};

/** In a text field, undo/redo/select-all act on the field, as the menu's native roles would. */
const FIELD_ACTIONS: Readonly<Record<string, string>> = { 'edit.undo': 'undo', 'edit.redo': 'redo', 'edit.selectAll': 'selectAll' };

function focusedField(): boolean {
  const el = document.activeElement;
  return el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA'].includes(el.tagName));
}

/** Subscribes to the native menu when running inside the desktop shell (no-op in a browser). */
export function useMenuCommands(): void {
  const run = useCommandRunner();
  useEffect(() => {
    if (!('topolab' in window)) return;
    const api = apiClient() as unknown as { subscribe(event: string, listener: (payload: unknown) => void): () => void } | null;
    if (!api) return;
    return api.subscribe('app.menu', (payload) => {
      const id = payload && typeof payload === 'object' ? (payload as { command?: unknown }).command : undefined;
      if (typeof id !== 'string') return;
      const field = FIELD_ACTIONS[id];
      if (field && focusedField()) {
        // execCommand is deprecated but remains the one way to drive a field's own undo stack.
        document.execCommand(field);
        return;
      }
      const command = MENU_TO_COMMAND[id];
      if (command) run(command);
    });
  }, [run]);
}
