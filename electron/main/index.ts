/**
 * The desktop app's main process: wiring only. Each piece (security, the app scheme, the
 * bridge, documents, menus, window placement, the lab process) lives in its own module
 * and is tested without Electron; this file connects them to Electron's objects.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
  type WebContents,
} from 'electron';
import { BackupStore } from '../../core/files/index.js';
import type { ServerEventFrame } from '../../core/api/transports/frames.js';
import { EVENTS_CHANNEL } from '../shared/channels.js';
import { MENU_EVENT, type RendererCommand } from '../shared/menu-commands.js';
import { APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol.js';
import { designPathsFromArgv, folderFromArgv } from './argv.js';
import { readDesign, saveDesign } from './design-files.js';
import { Documents, displayName, type OpenDocument } from './documents.js';
import { registerIpc, type WindowEndpoint } from './ipc.js';
import { createNativeDialogs } from './native-dialogs.js';
import { LabHost } from './lab-host.js';
import { buildMenuTemplate } from './menu.js';
import { builtPaths } from './paths.js';
import { addRecent, loadRecent, saveRecent } from './recent.js';
import { APP_PAGE_URL, APP_SCHEME, guardSession, guardWebContents, secureWebPreferences } from './security.js';
import { loadWindowState, placeWindow, rememberPlacement, saveWindowState, type WindowStateFile } from './window-state.js';

const paths = builtPaths(import.meta.dirname);
const log = (message: string): void => console.log(`[topolab] ${message}`);

// Before anything else: the app scheme must be privileged before `ready`, every renderer
// is sandboxed, and a second launch hands its files to the first instead of starting.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();
if (process.env.TOPOLAB_USER_DATA) app.setPath('userData', process.env.TOPOLAB_USER_DATA);
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  const userData = app.getPath('userData');
  mkdirSync(userData, { recursive: true });
  const stateFile = join(userData, 'window-state.json');
  const recentFile = join(userData, 'recent.json');

  /** Per window: the Electron window, its document and its lab process. */
  const windows = new Map<number, { window: BrowserWindow; lab: LabHost<Electron.MessagePortMain>; endpoint: WindowEndpoint }>();
  const byContents = new Map<number, number>();
  let windowState: WindowStateFile = { version: 1, documents: {} };
  let recent: string[] = [];
  let ready = false;
  /** Set once every window agreed to close: the app is exiting. */
  let quitting = false;
  /** A quit is asking its questions (a second Quit meanwhile is ignored). */
  let quitAsking = false;
  /** Windows whose closing was already agreed: no second question, from the shell or the page. */
  const approved = new Set<number>();
  /** Called when the user keeps a window open that was asked to close (a quit then stops). */
  const keptOpen = new Map<number, () => void>();
  /** Labs being stopped (their windows closed); a quit waits for all of them. */
  const stopping = new Set<Promise<void>>();
  const stopLab = (lab: LabHost<Electron.MessagePortMain>): void => {
    const done: Promise<void> = lab.stop().finally(() => stopping.delete(done));
    stopping.add(done);
  };
  const pendingPaths: string[] = designPathsFromArgv(process.argv, process.cwd());
  const isDirectory = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  /** Where new designs live and dialogs start: the folder given at launch, else Documents. */
  const designsFolder = folderFromArgv(process.argv, process.cwd(), app.isPackaged, isDirectory) ?? app.getPath('documents');

  const windowOf = (id: number | null): BrowserWindow | undefined => (id === null ? undefined : windows.get(id)?.window);
  /** The window menu commands act on: the focused one, else the one focused last (focus can be elsewhere, e.g. on the menu bar or in tests). */
  let lastFocusedId: number | undefined;
  const focusedDocumentId = (): number | undefined => {
    const focused = BrowserWindow.getFocusedWindow();
    for (const [id, entry] of windows) if (entry.window === focused) return id;
    if (lastFocusedId !== undefined && windows.has(lastFocusedId)) return lastFocusedId;
    return [...windows.keys()].at(-1);
  };

  const dialogs = createNativeDialogs(dialog, windowOf, designsFolder);

  const rememberRecent = (path: string): void => {
    recent = addRecent(recent, path);
    app.addRecentDocument(path);
    void saveRecent(recentFile, recent).catch((error: unknown) => log(`could not save the recent list: ${String(error)}`));
    rebuildMenu();
  };

  const sendToPage = (contents: WebContents, frame: ServerEventFrame): void => {
    if (!contents.isDestroyed()) contents.send(EVENTS_CHANNEL, frame);
  };

  const documents: Documents = new Documents({
    createWindow: (document) => createDocumentWindow(document),
    dialogs,
    backups: new BackupStore(join(userData, 'backups')),
    readText: readDesign,
    writeText: (path, text) => saveDesign(path, text),
    addRecent: rememberRecent,
    log,
    newBackupKey: () => randomUUID(),
  });

  function createDocumentWindow(document: OpenDocument) {
    const workAreas = screen.getAllDisplays().map((display) => display.workArea);
    const primary = screen.getPrimaryDisplay().workArea;
    const placement = placeWindow(windowState, document.path, [primary, ...workAreas]);
    const window = new BrowserWindow({
      x: placement.x,
      y: placement.y,
      width: placement.width,
      height: placement.height,
      minWidth: 640,
      minHeight: 420,
      show: false,
      title: 'Topolab',
      icon: paths.icon,
      backgroundColor: '#0f172a',
      webPreferences: secureWebPreferences(paths.preload),
    });
    if (placement.maximized) window.maximize();
    const contents = window.webContents;
    const lab = new LabHost<Electron.MessagePortMain>(
      {
        fork: () => utilityProcess.fork(paths.labEntry, [], { serviceName: 'Topolab lab', stdio: 'inherit' }),
        channel: () => {
          const { port1, port2 } = new MessageChannelMain();
          port1.start();
          return {
            local: { postMessage: (message) => port1.postMessage(message), onMessage: (listener) => port1.on('message', (event) => listener(event.data)), close: () => port1.close() },
            remote: port2,
          };
        },
      },
      // The page's own `files.*` calls work in the design's folder (new designs: the launch folder or Documents);
      // their backups stay in the user-data folder rather than beside the user's files.
      { filesRoot: document.path ? dirname(document.path) : designsFolder, backupsRoot: join(userData, 'page-backups') },
      (frame) => sendToPage(contents, frame),
      log,
    );
    const endpoint: WindowEndpoint = { shell: documents.handlersFor(document.id), lab, send: (frame) => sendToPage(contents, frame) };
    // Captured now: a destroyed web contents throws on every property read.
    const contentsId = contents.id;
    windows.set(document.id, { window, lab, endpoint });
    byContents.set(contentsId, document.id);

    window.once('ready-to-show', () => window.show());
    // The title names the design and its state (set by the shell), not the page's <title>.
    window.on('page-title-updated', (event) => event.preventDefault());
    lastFocusedId = document.id;
    window.on('focus', () => (lastFocusedId = document.id));
    // Placement is remembered while the window still exists (bounds are gone after 'closed').
    const remember = () => {
      const current = documents.get(document.id);
      if (window.isDestroyed() || !current) return;
      const bounds = window.getNormalBounds();
      windowState = rememberPlacement(windowState, current.path, { ...bounds, maximized: window.isMaximized() });
    };
    // 'resize'/'move' fire on every platform (the '-d' variants only on macOS and Windows);
    // remembering is an object update, the file is written when the window closes.
    for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', remember);
    // Closing: a design the page reported dirty (app.changed) gets Save / Don't Save / Cancel
    // here; otherwise Chromium runs the page's own `beforeunload`, and if the page objects,
    // 'will-prevent-unload' below asks instead.
    window.on('close', (event) => {
      remember();
      if (quitting || approved.has(document.id) || !documents.get(document.id)?.dirty) return;
      event.preventDefault();
      void documents.confirmClose(document.id).then((mayClose) => {
        if (!mayClose) return keptOpen.get(document.id)?.();
        approved.add(document.id);
        if (!window.isDestroyed()) window.close();
      });
    });
    contents.on('will-prevent-unload', (event) => {
      if (approved.has(document.id)) return event.preventDefault();
      const response = dialog.showMessageBoxSync(window, {
        type: 'warning',
        message: `Close ${displayName(documents.get(document.id)?.path ?? null)} without saving?`,
        detail: 'The design has unsaved changes.',
        buttons: ["Don't Save", 'Cancel'],
        defaultId: 1,
        cancelId: 1,
      });
      if (response === 0) {
        approved.add(document.id);
        event.preventDefault(); // overrides the page's objection: the window closes
      } else {
        keptOpen.get(document.id)?.();
      }
    });
    window.on('closed', () => {
      approved.delete(document.id);
      keptOpen.delete(document.id);
      windows.delete(document.id);
      byContents.delete(contentsId);
      documents.closed(document.id);
      void saveWindowState(stateFile, windowState).catch((error: unknown) => log(`could not save window state: ${String(error)}`));
      stopLab(lab);
    });

    const query = document.path ? `?file=${encodeURIComponent(displayName(document.path))}` : '';
    void window.loadURL(`${APP_PAGE_URL}${query}`);
    return {
      focus: () => {
        if (window.isMinimized()) window.restore();
        window.focus();
      },
      show: (title: string, dirty: boolean, path: string | null) => {
        window.setTitle(title);
        window.setDocumentEdited(dirty);
        if (path) window.setRepresentedFilename(path);
      },
    };
  }

  function rebuildMenu(): void {
    const send = (command: RendererCommand) => {
      const id = focusedDocumentId();
      const entry = id === undefined ? undefined : windows.get(id);
      if (entry) sendToPage(entry.window.webContents, { event: MENU_EVENT, payload: { command } });
    };
    const template = buildMenuTemplate(
      { platform: process.platform, recent, appName: app.getName(), development: !app.isPackaged },
      {
        send,
        newWindow: () => void documents.newDocument(),
        open: () => void documents.openWithDialog(focusedDocumentId() ?? null),
        openRecent: (path) => void documents.openPath(path),
        clearRecent: () => {
          recent = [];
          app.clearRecentDocuments();
          void saveRecent(recentFile, recent);
          rebuildMenu();
        },
        closeWindow: () => windowOf(focusedDocumentId() ?? null)?.close(),
        about: () => void dialog.showMessageBox({ type: 'info', message: `Topolab ${app.getVersion()}`, detail: 'A desktop network lab.' }),
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  const openPaths = async (list: readonly string[]): Promise<void> => {
    for (const path of list) await documents.openPath(path);
  };

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const list = designPathsFromArgv(argv, workingDirectory);
    if (!ready) pendingPaths.push(...list);
    else if (list.length > 0) void openPaths(list);
    else {
      const first = [...windows.values()][0]?.window;
      if (first) {
        if (first.isMinimized()) first.restore();
        first.focus();
      } else void documents.newDocument();
    }
  });

  // macOS delivers files (Finder, dock, file association) through this event, possibly before `ready`.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (ready) void documents.openPath(path);
    else pendingPaths.push(path);
  });

  // Every web contents, whatever created it, gets the guards.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { openExternal: (url) => void shell.openExternal(url), log }));

  app.on('window-all-closed', () => {
    // During a quit the quit itself goes on once the labs have stopped.
    if (!quitting && !quitAsking && process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (ready && windows.size === 0) void documents.newDocument();
  });

  /** Closes a window the way its close button does; false when the user kept it open. */
  const closeWindow = (id: number, window: BrowserWindow): Promise<boolean> =>
    new Promise((resolve) => {
      if (window.isDestroyed()) return resolve(true);
      window.once('closed', () => resolve(true));
      keptOpen.set(id, () => {
        keptOpen.delete(id);
        resolve(false);
      });
      window.close();
    });

  // Quit: every window is closed as if by the user (each asks about its unsaved work, and
  // one Cancel stops the quit), then every lab process is stopped before the app exits.
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    if (quitAsking) return;
    quitAsking = true;
    void (async () => {
      try {
        for (const [id, entry] of [...windows]) {
          if (!(await closeWindow(id, entry.window))) return;
        }
        quitting = true;
        documents.stopBackups();
        for (const entry of [...windows.values()]) {
          stopLab(entry.lab);
          entry.window.destroy();
        }
        await Promise.all([...stopping]);
        await saveWindowState(stateFile, windowState).catch(() => undefined);
        app.quit();
      } finally {
        quitAsking = false;
      }
    })();
  });

  void app.whenReady().then(async () => {
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(paths.rendererDir, request));
    guardSession(session.defaultSession, { log });
    registerIpc(ipcMain, {
      endpointFor: (sender) => {
        const id = byContents.get(sender.id);
        return id === undefined ? undefined : windows.get(id)?.endpoint;
      },
      log,
    });
    [windowState, recent] = await Promise.all([loadWindowState(stateFile), loadRecent(recentFile)]);
    rebuildMenu();
    ready = true;
    const recovered = await documents.offerRecovery();
    await openPaths(pendingPaths.splice(0));
    if (recovered.length === 0 && windows.size === 0) documents.newDocument();
    documents.startBackups();
  });
}
