import type { LabMenuCommand, MenuCommand } from '../../core/api/contract/index.js';

/**
 * What each command of the desktop shell's native menu (the contract's MENU_COMMANDS, sent
 * as `app.menu`) runs: the id of the same command the toolbar and keyboard run, so a menu
 * item and its shortcut do exactly the same thing. The Lab menu belongs to lab mode, which
 * subscribes to it itself (`null` here). A new menu command missing here is a type error.
 */
export const MENU_TO_COMMAND = {
  'file.import': 'file.import',
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
  'lab.launch': null,
  'lab.stop': null,
  'lab.traffic': null,
  'lab.endpoints': null,
  'help.shortcuts': 'view.help',
} as const satisfies Record<Exclude<MenuCommand, LabMenuCommand>, string> & Record<LabMenuCommand, null>;

/** In a text field, undo/redo/select-all act on the field, as the menu's native roles would. */
export const FIELD_ACTIONS: Partial<Record<MenuCommand, 'undo' | 'redo' | 'selectAll'>> = { 'edit.undo': 'undo', 'edit.redo': 'redo', 'edit.selectAll': 'selectAll' };
