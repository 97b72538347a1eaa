/**
 * The documents of the desktop app: one window per design file, their dirty state and
 * latest text, saves (atomic, through core/files), backups of unsaved work every few
 * seconds, recovery after a crash and the "unsaved changes" question on close. Windows
 * and dialogs are injected, so this runs (and is tested) without Electron.
 */
import { basename } from 'node:path';
import { type BackupInfo, type BackupStore } from '../../core/files/index.js';
import type { DocumentInfo, SaveResult, ShellHandlers } from './shell-methods.js';

/** How often unsaved work is backed up. */
export const BACKUP_INTERVAL_MS = 5000;

/** One open design. */
export interface OpenDocument {
  readonly id: number;
  path: string | null;
  dirty: boolean;
  /** The latest full text the page reported (or the file's text when opened). */
  text: string | null;
  /** The text last written to the backup store, to skip unchanged backups. */
  backedUp: string | null;
  readonly backupKey: string;
  recovered: boolean;
}

/** What the controller needs of a window. */
export interface DocumentWindow {
  focus(): void;
  /** Title, dirty marker and represented file. */
  show(title: string, dirty: boolean, path: string | null): void;
}

/** Native dialogs, asked on behalf of a window (or of none). */
export interface Dialogs {
  chooseDesignsToOpen(parent: number | null): Promise<string[]>;
  chooseSavePath(parent: number, suggested: string): Promise<string | undefined>;
  askSaveChanges(parent: number, name: string): Promise<'save' | 'discard' | 'cancel'>;
  askRecover(backups: readonly BackupInfo[]): Promise<boolean>;
  showError(parent: number | null, title: string, message: string): void;
}

/** Everything the controller uses from the outside. */
export interface DocumentsDeps {
  createWindow(document: OpenDocument): DocumentWindow;
  dialogs: Dialogs;
  backups: BackupStore;
  readText(path: string): Promise<string>;
  /** Atomic save (core/files `writeFileAtomic`). */
  writeText(path: string, text: string): Promise<void>;
  /** Records a file in the recent lists (own menu list and the OS's). */
  addRecent(path: string): void;
  log(message: string): void;
  /** A fresh unique key for a document's backups. */
  newBackupKey(): string;
}

/** The name a design is shown as. */
export function displayName(path: string | null): string {
  return path ? basename(path) : 'Untitled';
}

/** The window title: name, a dirty marker where the OS has no other, and the app. */
export function windowTitle(path: string | null, dirty: boolean): string {
  return `${dirty ? '• ' : ''}${displayName(path)} — Topolab`;
}

/** Opens, tracks, saves, backs up and closes documents. */
export class Documents {
  private nextId = 1;
  private readonly open = new Map<number, { document: OpenDocument; window: DocumentWindow }>();
  private timer: NodeJS.Timeout | undefined;
  private backingUp: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DocumentsDeps) {}

  /** The open documents, in opening order. */
  list(): OpenDocument[] {
    return [...this.open.values()].map((entry) => entry.document);
  }

  get(id: number): OpenDocument | undefined {
    return this.open.get(id)?.document;
  }

  /** Opens a design file in its own window, or focuses the window that already shows it. */
  async openPath(path: string): Promise<OpenDocument | undefined> {
    const existing = this.list().find((document) => document.path === path);
    if (existing) {
      this.open.get(existing.id)?.window.focus();
      return existing;
    }
    let text: string;
    try {
      text = await this.deps.readText(path);
    } catch (error) {
      this.deps.dialogs.showError(null, `Cannot open ${displayName(path)}`, error instanceof Error ? error.message : String(error));
      return undefined;
    }
    const document = this.add({ path, text, dirty: false, recovered: false });
    this.deps.addRecent(path);
    return document;
  }

  /** Opens a window with a new, empty design. */
  newDocument(): OpenDocument {
    return this.add({ path: null, text: null, dirty: false, recovered: false });
  }

  /** Shows the open dialog and opens every chosen design. */
  async openWithDialog(parent: number | null): Promise<string[]> {
    const paths = await this.deps.dialogs.chooseDesignsToOpen(parent);
    for (const path of paths) await this.openPath(path);
    return paths;
  }

  /** The page's shell methods for one window. */
  handlersFor(id: number): ShellHandlers {
    return {
      document: () => this.info(id),
      changed: ({ dirty, text }) => this.changed(id, dirty, text),
      save: ({ text, as }) => this.save(id, text, as ?? false),
      open: async () => ({ opened: await this.openWithDialog(id) }),
      newDocument: () => void this.newDocument(),
    };
  }

  /** What `app.document` answers. */
  info(id: number): DocumentInfo {
    const document = this.require(id);
    return { path: document.path, name: displayName(document.path), text: document.text, dirty: document.dirty, recovered: document.recovered };
  }

  /** The page reports an edit (or an undo back to the saved state, whose backup is then dropped). */
  changed(id: number, dirty: boolean, text: string | undefined): void {
    const entry = this.open.get(id);
    if (!entry) return;
    const wasDirty = entry.document.dirty;
    entry.document.dirty = dirty;
    if (text !== undefined) entry.document.text = text;
    entry.window.show(windowTitle(entry.document.path, dirty), dirty, entry.document.path);
    if (wasDirty && !dirty) void this.dropBackup(entry.document);
  }

  /**
   * Saves a document: to its file, or to a path chosen in the save dialog for a new design
   * or "Save As". The write is atomic; the backup is dropped once the file is safe.
   */
  async save(id: number, text: string, saveAs: boolean): Promise<SaveResult> {
    const entry = this.open.get(id);
    if (!entry) return { saved: false };
    const { document } = entry;
    let path = document.path;
    if (saveAs || !path) {
      path = (await this.deps.dialogs.chooseSavePath(id, document.path ?? 'untitled.topolab.json')) ?? null;
      if (!path) return { saved: false };
    }
    await this.deps.writeText(path, text);
    document.path = path;
    document.text = text;
    document.dirty = false;
    document.recovered = false;
    await this.dropBackup(document);
    this.deps.addRecent(path);
    entry.window.show(windowTitle(path, false), false, path);
    return { saved: true, path, name: displayName(path) };
  }

  /**
   * Asked when a window is about to close: true when it may close now. A dirty document
   * asks Save / Don't Save / Cancel; saving uses the latest text the page reported.
   */
  async confirmClose(id: number): Promise<boolean> {
    const entry = this.open.get(id);
    if (!entry) return true;
    const { document } = entry;
    if (document.dirty) {
      const answer = await this.deps.dialogs.askSaveChanges(id, displayName(document.path));
      if (answer === 'cancel') return false;
      if (answer === 'save') {
        if (document.text === null) {
          this.deps.dialogs.showError(id, 'Nothing to save', 'The design has not reported its content yet; try again in a moment.');
          return false;
        }
        try {
          const result = await this.save(id, document.text, false);
          if (!result.saved) return false;
        } catch (error) {
          this.deps.dialogs.showError(id, `Cannot save ${displayName(document.path)}`, error instanceof Error ? error.message : String(error));
          return false;
        }
      }
    }
    await this.dropBackup(document);
    return true;
  }

  /** Forgets a window that closed. */
  closed(id: number): void {
    this.open.delete(id);
  }

  /** Writes a backup of every dirty document whose text changed since its last backup. */
  backupNow(): Promise<void> {
    this.backingUp = this.backingUp.then(async () => {
      for (const document of this.list()) {
        if (!document.dirty || document.text === null || document.text === document.backedUp) continue;
        try {
          const text = document.text;
          await this.deps.backups.save(document.backupKey, text, document.path ?? undefined);
          document.backedUp = text;
        } catch (error) {
          this.deps.log(`backup of ${displayName(document.path)} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    });
    return this.backingUp;
  }

  /** Starts the periodic backups. */
  startBackups(intervalMs = BACKUP_INTERVAL_MS): void {
    this.stopBackups();
    this.timer = setInterval(() => void this.backupNow(), intervalMs);
    this.timer.unref();
  }

  stopBackups(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * At start: when backups of unsaved work exist (the app crashed or was killed), offers
   * them back. Accepted backups open as dirty documents (with their original file, if any);
   * declined ones are deleted. Returns the documents opened.
   */
  async offerRecovery(): Promise<OpenDocument[]> {
    const backups = await this.deps.backups.list();
    if (backups.length === 0) return [];
    if (!(await this.deps.dialogs.askRecover(backups))) {
      for (const backup of backups) await this.deps.backups.discard(backup.key);
      return [];
    }
    const opened: OpenDocument[] = [];
    for (const info of backups) {
      try {
        const backup = await this.deps.backups.read(info.key);
        if (!backup) continue;
        const document = this.add({ path: backup.name ?? null, text: backup.text, dirty: true, recovered: true, backupKey: backup.key });
        document.backedUp = backup.text;
        opened.push(document);
      } catch (error) {
        this.deps.log(`backup ${info.key} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return opened;
  }

  private add(init: { path: string | null; text: string | null; dirty: boolean; recovered: boolean; backupKey?: string }): OpenDocument {
    const document: OpenDocument = {
      id: this.nextId++,
      path: init.path,
      text: init.text,
      dirty: init.dirty,
      recovered: init.recovered,
      backedUp: null,
      backupKey: init.backupKey ?? this.deps.newBackupKey(),
    };
    const window = this.deps.createWindow(document);
    this.open.set(document.id, { document, window });
    window.show(windowTitle(document.path, document.dirty), document.dirty, document.path);
    return document;
  }

  private async dropBackup(document: OpenDocument): Promise<void> {
    await this.backingUp;
    document.backedUp = null;
    await this.deps.backups.discard(document.backupKey).catch((error: unknown) => this.deps.log(`could not delete a backup: ${String(error)}`));
  }

  private require(id: number): OpenDocument {
    const document = this.get(id);
    if (!document) throw new Error(`no document ${id}`);
    return document;
  }
}
