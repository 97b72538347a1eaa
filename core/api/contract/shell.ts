import { z } from 'zod';
import { defineShellEvent, defineShellMethod } from './define.js';
import { DesignName } from './files.js';

/**
 * The commands the desktop app's native menu sends to the page as the `app.menu` event:
 * the one list of menu ids. The shell's menu template sends them, the page maps each to
 * the same action as its toolbar and shortcut, and docs/api.md lists them (generated).
 * Items the shell handles itself (new window, open dialog, recent files, close, quit,
 * about) never reach the page.
 */
export const MENU_COMMANDS = [
  'file.import',
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

/** A command of the native menu that the page carries out. */
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** The menu commands of the Lab menu (lab mode subscribes to these itself). */
export type LabMenuCommand = Extract<MenuCommand, `lab.${string}`>;

/** Payload of `app.menu`. */
export const MenuEventSchema = z.strictObject({ command: z.enum(MENU_COMMANDS) });
export type MenuEvent = z.infer<typeof MenuEventSchema>;

/** Payload of `app.close`: the close prompt's answer. */
export const CloseRequestSchema = z.strictObject({
  requestId: z.number().int().min(1),
  /** true: Save, then close; false: Don't Save (drop the backup), then close. */
  save: z.boolean(),
});
export type CloseRequest = z.infer<typeof CloseRequestSchema>;

/**
 * The desktop shell's methods: answered by its main process for the window that calls,
 * over IPC only. The core service (and so `topolab serve`) refuses them.
 */
export const shellMethods = {
  'app.changed': defineShellMethod<null>()(
    z.strictObject({ dirty: z.boolean(), name: DesignName.nullable() }),
    "Desktop shell only: the page's design, its name in the window's folder (null: never saved) and whether it has unsaved changes (window title, close prompt).",
  ),
  'app.closeReply': defineShellMethod<null>()(
    z.strictObject({ requestId: CloseRequestSchema.shape.requestId, close: z.boolean() }),
    'Desktop shell only: answers `app.close`; close: false keeps the window open (the save failed or its Save As was cancelled).',
  ),
};

/** Events the desktop shell sends its pages, over IPC only. */
export const shellEvents = {
  'app.menu': defineShellEvent<MenuEvent>('Desktop shell only: a native menu item that acts on the design was chosen; `command` is one of MENU_COMMANDS.'),
  'app.close': defineShellEvent<CloseRequest>(
    "Desktop shell only: the close prompt was answered; save (Save) or drop the backup (Don't Save), then answer with `app.closeReply`.",
  ),
};
