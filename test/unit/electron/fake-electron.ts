/**
 * A fake of the parts of Electron the main process uses, enough to run
 * electron/main/index.ts under Vitest: windows and web contents are event emitters that
 * record what the shell does to them, dialogs answer from a script, and the lab "utility
 * process" serves the real core service over a real MessageChannel in this process.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { createService } from '../../../core/api/index.js';
import { serveOverPort } from '../../../electron/lab/protocol.js';

type Listener = (...args: never[]) => unknown;

/** A preventable event as Electron passes it. */
export function electronEvent(): { preventDefault(): void; defaultPrevented: boolean } {
  const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
  return event;
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: [string, unknown][] = [];
  destroyed = false;
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static focused: FakeBrowserWindow | undefined;
  static getAllWindows = () => FakeBrowserWindow.all.filter((w) => !w.destroyed);
  static getFocusedWindow = () => FakeBrowserWindow.focused;

  readonly webContents = new FakeWebContents();
  url = '';
  title = '';
  edited = false;
  destroyed = false;
  shown = false;
  /** The page's `beforeunload` objects (it has unsaved work of its own). */
  pageObjectsToUnload = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
    FakeBrowserWindow.focused = this;
    fake.app.emit('web-contents-created', electronEvent(), this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.url = url;
    this.emit('ready-to-show');
  }
  show = () => void (this.shown = true);
  maximize = () => {};
  isMaximized = () => false;
  isMinimized = () => false;
  restore = () => {};
  focus = () => void (FakeBrowserWindow.focused = this);
  setTitle = (title: string) => void (this.title = title);
  setDocumentEdited = (edited: boolean) => void (this.edited = edited);
  setRepresentedFilename = () => {};
  getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
  isDestroyed = () => this.destroyed;
  /**
   * Like Electron: 'close' may be prevented; then the page's beforeunload runs, and if it
   * objects, 'will-prevent-unload' decides (preventing it closes anyway).
   */
  close(): void {
    const event = electronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    if (this.pageObjectsToUnload) {
      const unload = electronEvent();
      this.webContents.emit('will-prevent-unload', unload);
      if (!unload.defaultPrevented) return;
    }
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    if (FakeBrowserWindow.focused === this) FakeBrowserWindow.focused = undefined;
    this.emit('closed');
    if (FakeBrowserWindow.getAllWindows().length === 0) fake.app.emit('window-all-closed');
  }
}

/** Electron's MessagePortMain over a Node MessagePort: listeners get `{ data, ports }`. */
class FakePortMain {
  constructor(readonly port: MessagePort) {}
  postMessage = (message: unknown) => this.port.postMessage(message);
  on = (event: 'message', listener: (e: { data: unknown; ports: unknown[] }) => void) => void this.port.on(event, (data) => listener({ data, ports: [] }));
  start = () => {};
  close = () => this.port.close();
}

/** A utility process that serves the real service on the port it is sent. */
class FakeUtilityProcess extends EventEmitter {
  static started: FakeUtilityProcess[] = [];
  static nextPid = 50_000;
  pid: number | undefined = FakeUtilityProcess.nextPid++;
  constructor(readonly entry: string) {
    super();
    FakeUtilityProcess.started.push(this);
  }
  postMessage(init: { filesRoot?: string; backupsRoot?: string }, [port]: FakePortMain[]): void {
    if (!port) throw new Error('no port transferred');
    serveOverPort(
      createService(init),
      { postMessage: (m) => port.port.postMessage(m), onMessage: (l) => port.port.on('message', l), close: () => port.port.close() },
      () => this.exit(0),
    );
  }
  kill(): boolean {
    this.exit(15);
    return true;
  }
  private exit(code: number): void {
    if (this.pid === undefined) return;
    this.pid = undefined;
    setImmediate(() => this.emit('exit', code));
  }
}

class FakeApp extends EventEmitter {
  paths: Record<string, string> = {};
  readyResolve: (() => void) | undefined;
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  quitCalls = 0;
  /** True once a quit went through (no before-quit listener prevented it). */
  exited = false;
  isPackaged = false;
  recentDocuments: string[] = [];
  sandboxEnabled = false;
  enableSandbox = () => void (this.sandboxEnabled = true);
  setPath = (name: string, path: string) => void (this.paths[name] = path);
  getPath = (name: string) => this.paths[name] ?? `/nonexistent/${name}`;
  requestSingleInstanceLock = () => true;
  whenReady = () => this.ready;
  getName = () => 'Topolab';
  getVersion = () => '0.0.0-test';
  addRecentDocument = (path: string) => void this.recentDocuments.push(path);
  clearRecentDocuments = () => void (this.recentDocuments = []);
  quit(): void {
    this.quitCalls++;
    const event = electronEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.exited = true;
  }
}

/** Answers the dialogs give; the test sets them. */
export const answers = {
  open: [] as string[],
  save: undefined as string | undefined,
  /** Button index for the next message boxes (0 Save / Restore, 1 Don't Save / Discard, 2 Cancel). */
  messageBox: 2,
  /** Button index for the next synchronous message boxes (the page-objects-to-close question: 0 Don't Save, 1 Cancel). */
  messageBoxSync: 1,
  asked: [] as string[],
};

const lastArg = <T>(args: unknown[]) => args.at(-1) as T;

export const fake = {
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  utilityProcesses: FakeUtilityProcess.started,
  ipcHandlers: new Map<string, Listener>(),
  ipcListeners: new Map<string, Listener>(),
  protocolHandlers: new Map<string, Listener>(),
  privilegedSchemes: [] as unknown[],
  menu: undefined as { template: unknown[] } | undefined,
  permissionHandler: undefined as Listener | undefined,
  opened: [] as string[],
};

/** The module `vi.mock('electron')` returns. */
export const electronModule = {
  app: fake.app,
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handle: (channel: string, listener: Listener) => void fake.ipcHandlers.set(channel, listener),
    on: (channel: string, listener: Listener) => void fake.ipcListeners.set(channel, listener),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => void fake.privilegedSchemes.push(...schemes),
    handle: (scheme: string, handler: Listener) => void fake.protocolHandlers.set(scheme, handler),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: Listener) => void (fake.permissionHandler = handler),
      setPermissionCheckHandler: () => {},
      setDevicePermissionHandler: () => {},
      webRequest: { onHeadersReceived: () => {} },
    },
  },
  screen: {
    getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
  },
  dialog: {
    showOpenDialog: async () => ({ canceled: answers.open.length === 0, filePaths: answers.open }),
    showSaveDialog: async () => ({ canceled: answers.save === undefined, filePath: answers.save }),
    showMessageBox: async (...args: unknown[]) => {
      answers.asked.push(lastArg<{ message: string }>(args).message);
      return { response: answers.messageBox, checkboxChecked: false };
    },
    showMessageBoxSync: (...args: unknown[]) => {
      answers.asked.push(lastArg<{ message: string }>(args).message);
      return answers.messageBoxSync;
    },
  },
  Menu: {
    buildFromTemplate: (template: unknown[]) => ({ template }),
    setApplicationMenu: (menu: { template: unknown[] }) => void (fake.menu = menu),
  },
  MessageChannelMain: class {
    readonly port1: FakePortMain;
    readonly port2: FakePortMain;
    constructor() {
      const { port1, port2 } = new MessageChannel();
      this.port1 = new FakePortMain(port1);
      this.port2 = new FakePortMain(port2);
    }
  },
  utilityProcess: { fork: (entry: string) => new FakeUtilityProcess(entry) },
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
};
