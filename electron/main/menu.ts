/**
 * The native menu (File, Edit, View, Lab, Help) as a pure template: items that act on
 * the design send a command id to the focused window's page; window and file-system items
 * call the shell. Built without Electron so it is tested directly.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../core/api/index.js';

/** What menu items call. */
export interface MenuActions {
  /** Sends a command to the focused window's page (the renderer maps it to its action). */
  send(command: MenuCommand): void;
  newWindow(): void;
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  closeWindow(): void;
  about(): void;
}

/** What the menu shows. */
export interface MenuOptions {
  platform: NodeJS.Platform;
  recent: readonly string[];
  appName: string;
  /** Development builds get Reload and the developer tools. */
  development: boolean;
}

/**
 * A page command item. The page binds the same shortcut itself, so on Windows and Linux
 * the accelerator is only displayed (the key reaches the page once, not twice); on macOS
 * the menu consumes the key and sends the command instead.
 */
function pageItem(label: string, command: MenuCommand, actions: MenuActions, accelerator?: string): MenuItemConstructorOptions {
  const item: MenuItemConstructorOptions = { id: command, label, click: () => actions.send(command) };
  if (accelerator) {
    item.accelerator = accelerator;
    item.registerAccelerator = false;
  }
  return item;
}

/** The application menu template. */
export function buildMenuTemplate(options: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = options.recent.length
    ? [
        ...options.recent.map((path, index): MenuItemConstructorOptions => ({ id: `file.openRecent.${index}`, label: path, click: () => actions.openRecent(path) })),
        { type: 'separator' },
        { id: 'file.clearRecent', label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No Recent Designs', enabled: false }];

  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: options.appName,
      submenu: [
        { id: 'help.about', label: `About ${options.appName}`, click: () => actions.about() },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: '&File',
      submenu: [
        { id: 'file.new', label: 'New Design', accelerator: 'CmdOrCtrl+N', click: () => actions.newWindow() },
        { id: 'file.open', label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
        { id: 'file.openRecent', label: 'Open Recent', submenu: recentItems },
        pageItem('Import…', 'file.import', actions, 'CmdOrCtrl+I'),
        { type: 'separator' },
        pageItem('Save', 'file.save', actions, 'CmdOrCtrl+S'),
        pageItem('Save As…', 'file.saveAs', actions, 'CmdOrCtrl+Shift+S'),
        pageItem('Export…', 'file.export', actions, 'CmdOrCtrl+E'),
        { type: 'separator' },
        { id: 'file.close', label: 'Close Window', accelerator: 'CmdOrCtrl+W', click: () => actions.closeWindow() },
        ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        pageItem('Undo', 'edit.undo', actions, 'CmdOrCtrl+Z'),
        pageItem('Redo', 'edit.redo', actions, mac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
        { type: 'separator' },
        // Native roles: they act on text fields and raise the DOM clipboard events the canvas handles.
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        pageItem('Duplicate', 'edit.duplicate', actions, 'CmdOrCtrl+D'),
        pageItem('Delete', 'edit.delete', actions),
        { type: 'separator' },
        pageItem('Select All', 'edit.selectAll', actions, 'CmdOrCtrl+A'),
      ],
    },
    {
      label: '&View',
      submenu: [
        pageItem('Zoom In', 'view.zoomIn', actions, 'CmdOrCtrl+='),
        pageItem('Zoom Out', 'view.zoomOut', actions, 'CmdOrCtrl+-'),
        pageItem('Zoom to Fit', 'view.zoomToFit', actions, 'Shift+1'),
        { type: 'separator' },
        pageItem('Toggle Minimap', 'view.toggleMinimap', actions),
        pageItem('Toggle Diagnostics', 'view.toggleDiagnostics', actions),
        pageItem('Toggle Dark Theme', 'view.toggleTheme', actions),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(options.development ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
      ],
    },
    {
      label: '&Lab',
      submenu: [
        pageItem('Launch Lab', 'lab.launch', actions, 'CmdOrCtrl+L'),
        pageItem('Stop Lab', 'lab.stop', actions, 'CmdOrCtrl+Shift+L'),
        { type: 'separator' },
        pageItem('Send Traffic…', 'lab.traffic', actions),
        pageItem('Endpoints', 'lab.endpoints', actions),
      ],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [pageItem('Keyboard Shortcuts', 'help.shortcuts', actions, 'CmdOrCtrl+/'), ...(mac ? [] : [{ id: 'help.about', label: `About ${options.appName}`, click: () => actions.about() }])],
    },
  );
  return template;
}

/** Every item with an id in a template, depth first (tests and the e2e menu driver use it). */
export function findMenuItem(template: readonly MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined {
  for (const item of template) {
    if (item.id === id) return item;
    if (Array.isArray(item.submenu)) {
      const found = findMenuItem(item.submenu, id);
      if (found) return found;
    }
  }
  return undefined;
}
