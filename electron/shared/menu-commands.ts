/**
 * The command ids the native menu sends to the page as the `app.menu` event
 * (`{ command }`). The renderer maps each to the same action as its toolbar and keyboard
 * shortcut; docs/desktop.md lists them. Commands the shell handles itself (new window,
 * open dialog, recent files, close, quit) never reach the page.
 */
export const RENDERER_COMMANDS = [
  'file.save',
  'file.saveAs',
  'file.export',
  'edit.undo',
  'edit.redo',
  'edit.duplicate',
  'edit.delete',
  'edit.selectAll',
  'view.zoomIn',
  'view.zoomOut',
  'view.zoomToFit',
  'view.toggleMinimap',
  'view.toggleDiagnostics',
  'view.toggleTheme',
  'lab.launch',
  'lab.stop',
  'lab.traffic',
  'lab.endpoints',
  'help.shortcuts',
] as const;

/** A command the page handles. */
export type RendererCommand = (typeof RENDERER_COMMANDS)[number];

/** The event the menu commands travel in. */
export const MENU_EVENT = 'app.menu';

/** Payload of `app.menu`. */
export interface MenuEventPayload {
  command: RendererCommand;
}
