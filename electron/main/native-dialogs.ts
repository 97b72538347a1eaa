/**
 * The windows' questions as Electron's native dialogs: open, unsaved changes and errors,
 * each attached to its window when it has one. Electron's `dialog` is passed in, so the
 * wording and the answers' mapping are tested without Electron. Saving (and its Save As
 * dialog) belongs to the page, which writes through the core `files.*` methods.
 */
import type { BaseWindow, Dialog, MessageBoxOptions, OpenDialogOptions } from 'electron';
import type { Dialogs } from './design-windows.js';

/** What of Electron's `dialog` is used (its overloads with and without an owner window). */
export type DialogApi = Pick<Dialog, 'showOpenDialog' | 'showMessageBox'>;

/** The native dialogs; `windowOf` finds a design's window, `designsFolder` is where the open dialog starts. */
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
    showError(parent, title, message) {
      void messageBox(parent, { type: 'error', message: title, detail: message });
    },
  };
}
