/**
 * The documents' questions as Electron's native dialogs: open, save as, unsaved changes,
 * recovery and errors, each attached to its window when it has one. Electron's `dialog`
 * is passed in, so the wording and the answers' mapping are tested without Electron.
 */
import { isAbsolute, join } from 'node:path';
import type { BaseWindow, Dialog, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { displayName, type Dialogs } from './documents.js';

/** What of Electron's `dialog` is used (its overloads with and without an owner window). */
export type DialogApi = Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showMessageBox'>;

/** A chosen save path with the design suffix: `net` and `net.json` become `net.topolab.json`. */
export function withDesignSuffix(path: string): string {
  return /\.topolab\.json$/i.test(path) ? path : `${path.replace(/\.json$/i, '')}.topolab.json`;
}

/** The native dialogs; `windowOf` finds a document's window, `designsFolder` is where dialogs start. */
export function createNativeDialogs(dialog: DialogApi, windowOf: (id: number | null) => BaseWindow | undefined, designsFolder: string): Dialogs {
  const messageBox = (parent: number | null, options: MessageBoxOptions) => {
    const owner = windowOf(parent);
    return owner ? dialog.showMessageBox(owner, options) : dialog.showMessageBox(options);
  };
  return {
    async chooseDesignsToOpen(parent) {
      const options: OpenDialogOptions = {
        title: 'Open Design',
        defaultPath: designsFolder,
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Topolab designs', extensions: ['topolab.json', 'json'] }],
      };
      const owner = windowOf(parent);
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async chooseSavePath(parent, suggested) {
      const options: SaveDialogOptions = {
        title: 'Save Design',
        defaultPath: isAbsolute(suggested) ? suggested : join(designsFolder, suggested),
        filters: [{ name: 'Topolab designs', extensions: ['topolab.json'] }],
      };
      const owner = windowOf(parent);
      const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? undefined : withDesignSuffix(result.filePath);
    },
    async askSaveChanges(parent, name) {
      const { response } = await messageBox(parent, {
        type: 'warning',
        message: `Save the changes to ${name}?`,
        detail: 'Your changes will be lost if you close without saving.',
        buttons: ['Save', "Don't Save", 'Cancel'],
        defaultId: 0,
        cancelId: 2,
      });
      return response === 0 ? 'save' : response === 1 ? 'discard' : 'cancel';
    },
    async askRecover(backups) {
      const names = backups.slice(0, 10).map((backup) => (backup.name ? displayName(backup.name) : 'an untitled design'));
      const more = backups.length > 10 ? ` and ${backups.length - 10} more` : '';
      const { response } = await messageBox(null, {
        type: 'question',
        message: 'Topolab closed with unsaved work.',
        detail: `Restore the unsaved changes of ${names.join(', ')}${more}?`,
        buttons: ['Restore', 'Discard'],
        defaultId: 0,
        cancelId: 1,
      });
      return response === 0;
    },
    showError(parent, title, message) {
      void messageBox(parent, { type: 'error', message: title, detail: message });
    },
  };
}
