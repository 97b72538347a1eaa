/**
 * The desktop app's main process: wiring only. Each piece (security, the app scheme, the
 * bridge, design windows, menus, window placement, the lab process) lives in its own module
 * and is tested without Electron; this file connects them to Electron's objects. Designs
 * are opened, saved, backed up and recovered by each window's page through the core
 * `files.*` methods; the shell keeps windows, menus and native dialogs.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
import type { ServerEventFrame } from '../../core/api/transports/frames.js';
import { EVENTS_CHANNEL } from '../shared/channels.js';
import type { MenuCommand, ShellEventName } from '../../core/api/index.js';
import { APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol.js';
import { designPathsFromArgv, folderFromArgv } from './argv.js';
import { BACKUPS_FOLDER_NAME, backupsFolderFor, designsToRecover } from './backup-folders.js';
import { CLOSE_EVENT, CloseHandshake } from './close-handshake.js';
import { DesignWindows, designPath, displayName, type DesignWindow } from './design-windows.js';
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
  const backupsRoot = join(userData, BACKUPS_FOLDER_NAME);

  /** Per window: the Electron window, its lab process and what the bridge reaches. */
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

  const closeHandshake = new CloseHandshake(log);
  const designs: DesignWindows = new DesignWindows({
    createWindow: (design) => createDesignWindow(design),
    dialogs,
    designsFolder,
    addRecent: rememberRecent,
    askPage: (id, save) => {
      const endpoint = windows.get(id)?.endpoint;
      if (!endpoint) return Promise.resolve(true);
      return closeHandshake.ask(id, save, { listens: endpoint.shellSubscriptions.has(CLOSE_EVENT), send: endpoint.send });
    },
    log,
  });

  function createDesignWindow(design: DesignWindow) {
    const workAreas = screen.getAllDisplays().map((display) => display.workArea);
    const primary = screen.getPrimaryDisplay().workArea;
    const placement = placeWindow(windowState, designPath(design), [primary, ...workAreas]);
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
      // The page opens, saves and backs up through `files.*` in the design's folder (new designs: the
      // launch folder or Documents); backups stay in the user-data folder, one folder per design folder.
      { filesRoot: design.folder, backupsRoot: backupsFolderFor(backupsRoot, design.folder) },
      (frame) => sendToPage(contents, frame),
      log,
    );
    const endpoint: WindowEndpoint = {
      shell: {
        'app.changed': designs.changedHandler(design.id),
        'app.closeReply': ({ requestId, close }) => {
          closeHandshake.reply(design.id, requestId, close);
          return null;
        },
      },
      lab,
      send: (frame) => sendToPage(contents, frame),
      shellSubscriptions: new Set(),
    };
    // Captured now: a destroyed web contents throws on every property read.
    const contentsId = contents.id;
    windows.set(design.id, { window, lab, endpoint });
    byContents.set(contentsId, design.id);

    window.once('ready-to-show', () => window.show());
    // The title names the design and its state (set by the shell), not the page's <title>.
    window.on('page-title-updated', (event) => event.preventDefault());
    lastFocusedId = design.id;
    window.on('focus', () => (lastFocusedId = design.id));
    // Placement is remembered while the window still exists (bounds are gone after 'closed').
    const remember = () => {
      const current = designs.get(design.id);
      if (window.isDestroyed() || !current) return;
      const bounds = window.getNormalBounds();
      windowState = rememberPlacement(windowState, designPath(current), { ...bounds, maximized: window.isMaximized() });
    };
    // 'resize'/'move' fire on every platform (the '-d' variants only on macOS and Windows);
    // remembering is an object update, the file is written when the window closes.
    for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', remember);
    // Closing: a design the page reported dirty (app.changed) gets Save / Don't Save / Cancel
    // here, and the page saves or drops its backup (app.close); otherwise Chromium runs the
    // page's own `beforeunload`, and if the page objects, 'will-prevent-unload' below asks instead.
    window.on('close', (event) => {
      remember();
      if (quitting || approved.has(design.id) || !designs.get(design.id)?.dirty) return;
      event.preventDefault();
      void designs.confirmClose(design.id).then((mayClose) => {
        if (!mayClose) return keptOpen.get(design.id)?.();
        approved.add(design.id);
        if (!window.isDestroyed()) window.close();
      });
    });
    contents.on('will-prevent-unload', (event) => {
      if (approved.has(design.id)) return event.preventDefault();
      const response = dialog.showMessageBoxSync(window, {
        type: 'warning',
        message: `Close ${displayName(designs.get(design.id)?.name ?? null)} without saving?`,
        detail: 'The design has unsaved changes.',
        buttons: ["Don't Save", 'Cancel'],
        defaultId: 1,
        cancelId: 1,
      });
      if (response === 0) {
        approved.add(design.id);
        event.preventDefault(); // overrides the page's objection: the window closes
      } else {
        keptOpen.get(design.id)?.();
      }
    });
    window.on('closed', () => {
      approved.delete(design.id);
      keptOpen.delete(design.id);
      windows.delete(design.id);
      byContents.delete(contentsId);
      designs.closed(design.id);
      closeHandshake.windowGone(design.id);
      void saveWindowState(stateFile, windowState).catch((error: unknown) => log(`could not save window state: ${String(error)}`));
      stopLab(lab);
    });

    const query = design.name ? `?file=${encodeURIComponent(design.name)}` : '';
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
    const send = (command: MenuCommand) => {
      const id = focusedDocumentId();
      const entry = id === undefined ? undefined : windows.get(id);
      if (entry) sendToPage(entry.window.webContents, { event: 'app.menu' satisfies ShellEventName, payload: { command } });
    };
    const template = buildMenuTemplate(
      { platform: process.platform, recent, appName: app.getName(), development: !app.isPackaged },
      {
        send,
        newWindow: () => void designs.newDesign(),
        open: () => void designs.openWithDialog(focusedDocumentId() ?? null),
        openRecent: (path) => void designs.openPath(path),
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
    for (const path of list) await designs.openPath(path);
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
      } else void designs.newDesign();
    }
  });

  // macOS delivers files (Finder, dock, file association) through this event, possibly before `ready`.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (ready) void designs.openPath(path);
    else pendingPaths.push(path);
  });

  // Every web contents, whatever created it, gets the guards.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { openExternal: (url) => void shell.openExternal(url), log }));

  app.on('window-all-closed', () => {
    // During a quit the quit itself goes on once the labs have stopped.
    if (!quitting && !quitAsking && process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (ready && windows.size === 0) void designs.newDesign();
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
    // After a crash, the designs with unsaved work open again; each page offers its work back.
    for (const { folder, name } of await designsToRecover(backupsRoot, undefined, log)) {
      if (name) await designs.openPath(join(folder, name));
      else designs.newDesign(folder);
    }
    await openPaths(pendingPaths.splice(0));
    if (windows.size === 0) designs.newDesign();
  });
}
