import { CloseRequestSchema, type CloseRequest, type FileEntry } from '../../core/api/contract/index.js';
import { emptyTopology, safeParseTopology, serializeTopology, type LoadError, type Topology } from '../../core/model/index.js';
import { apiClient, call, errorCode, errorMessage } from '../lib/api.js';
import type { Editor } from '../store/editor.js';
import { Store } from '../store/store.js';
import { backupKey, removeLocalBackup, writeLocalBackup } from './backup.js';
import { forgetFile, rememberFile } from './recent.js';
import { checkRecovery, RECOVERY_CHECK_MS, type RecoveryOffer } from './recovery.js';
import { shellCall, shellSubscribe } from './shell.js';

export type { RecoveryOffer };

/** Why the app could not show a design. */
export interface SessionError {
  title: string;
  message: string;
  issues: { path: string; message: string }[];
}

/** What the app shows about files: phase, load error, recovery offer, backup state. */
export interface SessionState {
  phase: 'loading' | 'ready' | 'error';
  error: SessionError | null;
  recovery: RecoveryOffer | null;
  /** Why the look for unsaved work could not ask the service (it failed or did not answer), else null. */
  recoveryProblem: string | null;
  backup: { state: 'idle' | 'pending' | 'saved' | 'failed'; at?: number };
  /** Modification time of the open file as last read or written (conflict detection). */
  mtime: number | null;
  busy: boolean;
}

/** Backups are written this long after the last edit (ms). */
export const AUTOSAVE_MS = 700;

/** A design's file name: `NAME.topolab.json`. */
export function normaliseFileName(input: string): string {
  const trimmed = input.trim().replace(/^\/+/, '');
  if (trimmed === '') return '';
  return trimmed.endsWith('.topolab.json') ? trimmed : `${trimmed.replace(/\.json$/, '')}.topolab.json`;
}

/**
 * The name a design takes from the file it is first saved as (`shop.topolab.json` names it
 * "shop"), when it still has the default name; `undefined` when it has a name of its own.
 */
export function designNameFromFile(current: string, fileName: string): string | undefined {
  if (current.trim() !== '' && current !== 'Untitled') return undefined;
  const base = fileName.split('/').pop()?.replace(/\.topolab\.json$/, '').trim() ?? '';
  return base === '' ? undefined : base;
}

function loadErrorOf(name: string, error: LoadError): SessionError {
  return { title: `Cannot open ${name}`, message: error.message, issues: error.issues.map((i) => ({ path: i.path, message: i.message })) };
}

/**
 * Files of the editor: open, save, save as, new, and the safety net: every edit is backed
 * up through the service's `files.backup` (localStorage only when the service cannot keep
 * it) and offered back after a crash or reload. Saving removes the backup. The browser and
 * the desktop app take this same path; in the desktop the page also tells the shell its
 * name and dirty state (`app.changed`) and answers its close prompt (`app.close`).
 */
export class FileSession {
  readonly store = new Store<SessionState>({ phase: 'loading', error: null, recovery: null, recoveryProblem: null, backup: { state: 'idle' }, mtime: null, busy: false });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastBackedUp: Topology | null = null;
  /** The state last told to the desktop shell (its title and close prompt use it). */
  private told: { dirty: boolean; name: string | null } | undefined;
  /** Settles a Save As the desktop shell's close prompt is waiting for. */
  private saveAsWaiter: ((saved: boolean) => void) | undefined;
  /** Set once the window is closing without saving: no backup may be written after its removal. */
  private closing = false;
  private unsubscribeShell: (() => void) | undefined;
  /**
   * Set while the service's backups are unchecked (the last look for unsaved work could not
   * ask it): they may hold earlier work nobody has seen, so this session neither replaces
   * nor deletes them; its own work is backed up in this browser meanwhile.
   */
  private serviceBackupsUnchecked = false;

  /** `recoveryCheckMs`: how long opening waits for the service's backups (tests shorten it). */
  constructor(
    private readonly editor: Editor,
    private readonly recoveryCheckMs: number = RECOVERY_CHECK_MS,
  ) {}

  private set(patch: Partial<SessionState>): void {
    this.store.update((s) => ({ ...s, ...patch }));
  }

  /** Start-up: open `?file=` if given, else a new design; then look for unsaved work. */
  async start(search: string): Promise<void> {
    this.unsubscribeShell = shellSubscribe('app.close', (request) => void this.answerClose(request));
    const file = new URLSearchParams(search).get('file');
    if (file) {
      await this.open(file);
    } else {
      this.editor.load(emptyTopology(), { name: null, saved: this.editor.doc });
      // Ready only once the recovery offer is known: its banner appearing later would move
      // the canvas under a drag that had already started.
      await this.findRecovery().catch(() => undefined);
      this.set({ phase: 'ready' });
    }
    this.startAutosave();
  }

  /** Opens a design from the served folder. A bad file shows its problems, never half a design. */
  async open(name: string): Promise<boolean> {
    this.set({ phase: 'loading', error: null, busy: true });
    try {
      const read = await call('files.read', { name });
      const parsed = safeParseTopology(read.text);
      if (!parsed.ok) {
        this.set({ phase: 'error', error: loadErrorOf(name, parsed.error), busy: false });
        return false;
      }
      this.editor.load(parsed.topology, { name: read.name, saved: parsed.topology });
      this.lastBackedUp = parsed.topology;
      rememberFile(read.name);
      this.set({ mtime: read.mtime, backup: { state: 'idle' } });
      await this.findRecovery().catch(() => undefined);
      this.set({ phase: 'ready', busy: false });
      setFileInUrl(read.name);
      if (parsed.migratedFrom !== undefined) this.editor.toast('info', `Upgraded from topolab/${parsed.migratedFrom}; saving writes the current format`);
      return true;
    } catch (error) {
      if (errorCode(error) === 'not-found') forgetFile(name);
      this.set({ phase: 'error', error: { title: `Cannot open ${name}`, message: errorMessage(error), issues: [] }, busy: false });
      return false;
    }
  }

  /** A new, empty design (the caller asks about unsaved changes first). */
  newDesign(doc: Topology = emptyTopology(), label = 'New design'): void {
    // An empty design has nothing to lose; a template starts unsaved.
    this.editor.load(doc, { name: null, saved: doc.nodes.length === 0 ? doc : null }, label);
    this.lastBackedUp = null;
    this.set({ phase: 'ready', error: null, mtime: null });
    setFileInUrl(null);
  }

  /** Saves to the open file; returns false when there is none yet (ask for a name) or it failed. */
  async save(): Promise<boolean> {
    const name = this.editor.state.file.name;
    if (!name) return false;
    return this.write(name, this.store.getState().mtime ?? undefined);
  }

  /** Saves under a new name; refuses to overwrite another file unless `overwrite`. */
  async saveAs(input: string, overwrite = false): Promise<boolean> {
    const name = normaliseFileName(input);
    if (!name) {
      this.editor.toast('error', 'Give the design a file name');
      return false;
    }
    // An untitled design takes the file's name (one undoable edit), so it is not saved as "Untitled".
    const designName = designNameFromFile(this.editor.doc.name, name);
    if (designName !== undefined) this.editor.apply('Name the design', (d) => ({ ...d, name: designName }));
    return this.write(name, overwrite ? undefined : null);
  }

  private async write(name: string, expectedMtime: number | null | undefined): Promise<boolean> {
    const doc = this.editor.doc;
    const previousKey = backupKey(this.editor.state.file.name);
    this.set({ busy: true });
    try {
      const input = expectedMtime === undefined ? { name, text: serializeTopology(doc) } : { name, text: serializeTopology(doc), expectedMtime };
      const entry: FileEntry = await call('files.write', input);
      this.editor.store.update((s) => ({ ...s, file: { name: entry.name, saved: doc } }));
      rememberFile(entry.name);
      this.set({ mtime: entry.mtime, busy: false, backup: { state: 'idle' } });
      setFileInUrl(entry.name);
      await this.discardBackup(previousKey);
      if (previousKey !== entry.name) await this.discardBackup(entry.name);
      this.editor.toast('success', `Saved ${entry.name}`);
      return true;
    } catch (error) {
      this.set({ busy: false });
      if (errorCode(error) === 'conflict') {
        this.editor.toast(
          'error',
          expectedMtime === null ? `${name} already exists: choose another name` : `${name} changed on disk since it was opened: use Save as to keep both`,
        );
      } else {
        this.editor.toast('error', `Could not save ${name}: ${errorMessage(error)}`);
      }
      return false;
    }
  }

  /** Designs in the served folder, for the open dialog. */
  async list(): Promise<FileEntry[]> {
    const { files } = await call('files.list', {});
    return files;
  }

  // ---- backups and recovery -----------------------------------------------------

  private startAutosave(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.editor.store.subscribe(() => {
      const { history, file } = this.editor.state;
      const doc = history.present.doc;
      this.tellShell(doc !== file.saved, file.name);
      if (doc === this.lastBackedUp) return;
      if (doc === file.saved) {
        // Back at the saved state (undo): nothing unsaved to keep.
        clearTimeout(this.timer);
        return;
      }
      clearTimeout(this.timer);
      this.set({ backup: { state: 'pending' } });
      this.timer = setTimeout(() => void this.backupNow(), AUTOSAVE_MS);
    });
    // The shell learns the state the page started in (its title follows the page from here on).
    this.tellShell(this.editor.dirty, this.editor.state.file.name);
  }

  /**
   * Backs up the unsaved work through the service (`files.backup`: one place, the same in
   * the browser and the desktop app). Only when the service cannot keep it does the work
   * go to localStorage, so it still survives a reload.
   */
  async backupNow(): Promise<void> {
    if (this.closing) return;
    const doc = this.editor.doc;
    const name = this.editor.state.file.name;
    const key = backupKey(name);
    const text = serializeTopology(doc);
    const savedAt = Date.now();
    let kept = false;
    if (apiClient() && !this.serviceBackupsUnchecked) {
      try {
        await call('files.backup', name ? { key, text, name } : { key, text });
        kept = true;
        removeLocalBackup(key);
      } catch {
        kept = false;
      }
    }
    if (!kept) kept = writeLocalBackup({ key, text, savedAt, ...(name ? { name } : {}) });
    this.lastBackedUp = doc;
    // An edit made while this backup was in flight has its own backup scheduled: "saved"
    // now would claim the newer design is kept when only the older one is.
    if (kept && this.editor.doc !== doc && this.editor.doc !== this.editor.state.file.saved) return;
    this.set({ backup: { state: kept ? 'saved' : 'failed', at: savedAt } });
  }

  /** Tells the desktop shell the design's name and whether it has unsaved changes (no-op in a browser). */
  private tellShell(dirty: boolean, name: string | null): void {
    if (this.told?.dirty === dirty && this.told.name === name) return;
    this.told = { dirty, name };
    void shellCall('app.changed', { dirty, name })?.catch(() => undefined);
  }

  /**
   * The desktop shell's close prompt was answered: Save saves (asking for a name first when
   * the design has none), Don't Save drops the backup. The reply says whether the window
   * may close.
   */
  private async answerClose(payload: CloseRequest): Promise<void> {
    // A payload that is not the contract's is ignored rather than trusted.
    const parsed = CloseRequestSchema.safeParse(payload);
    if (!parsed.success) return;
    const request = parsed.data;
    const close = request.save ? await this.saveBeforeClose() : await this.discardBeforeClose();
    void shellCall('app.closeReply', { requestId: request.requestId, close })?.catch(() => undefined);
  }

  /** Saves for the close prompt; false when the save failed or its Save As was cancelled. */
  private async saveBeforeClose(): Promise<boolean> {
    if (this.editor.state.file.name) return this.save();
    this.saveAsWaiter?.(false);
    return new Promise<boolean>((resolve) => {
      const unsubscribe = this.editor.store.subscribe(() => {
        if (this.editor.state.dialog === 'save-as') return;
        unsubscribe();
        this.saveAsWaiter = undefined;
        resolve(this.editor.state.file.name !== null && !this.editor.dirty);
      });
      this.saveAsWaiter = (saved) => {
        unsubscribe();
        this.saveAsWaiter = undefined;
        resolve(saved);
      };
      this.editor.openDialog('save-as');
    });
  }

  /** Don't Save: the work is dropped with its backup, and nothing is backed up after. */
  private async discardBeforeClose(): Promise<boolean> {
    this.closing = true;
    clearTimeout(this.timer);
    await this.discardBackup(backupKey(this.editor.state.file.name));
    return true;
  }

  private async discardBackup(key: string): Promise<void> {
    removeLocalBackup(key);
    if (!apiClient() || this.serviceBackupsUnchecked) return;
    try {
      await call('files.discardBackup', { key });
    } catch {
      // Already gone: fine.
    }
  }

  /**
   * Looks for unsaved work to offer for the open file (or an unsaved design, at a fresh
   * start). Bounded: when the service fails or does not answer in time, the app opens all
   * the same and says so (`recoveryProblem`), and the service's backups are left untouched.
   */
  private async findRecovery(): Promise<void> {
    const check = await checkRecovery(this.editor.state.file.name, this.store.getState().mtime ?? 0, this.recoveryCheckMs);
    this.serviceBackupsUnchecked = check.problem !== null;
    this.set({ recovery: check.offer, recoveryProblem: check.problem });
  }

  /** Hides the notice that the look for unsaved work failed (the service's backups stay untouched). */
  dismissRecoveryProblem(): void {
    this.set({ recoveryProblem: null });
  }

  /** Restores the offered work as an unsaved document on top of its file (if any). */
  async restore(): Promise<void> {
    const offer = this.store.getState().recovery;
    if (!offer) return;
    const parsed = safeParseTopology(offer.text);
    if (!parsed.ok) {
      this.editor.toast('error', `The backup cannot be read: ${parsed.error.message}`);
      this.set({ recovery: null });
      return;
    }
    if (offer.name && offer.name !== this.editor.state.file.name) {
      await this.open(offer.name);
    }
    const saved = this.editor.state.file.saved;
    this.editor.load(parsed.topology, { name: offer.name ?? null, saved: offer.name ? saved : null }, 'Recovered work');
    this.set({ recovery: null, phase: 'ready', error: null });
    this.editor.toast('success', 'Unsaved work restored');
  }

  /** Declines the offered work and deletes it. */
  async discardRecovery(): Promise<void> {
    const offer = this.store.getState().recovery;
    this.set({ recovery: null });
    if (offer) await this.discardBackup(offer.key);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.unsubscribeShell?.();
    this.saveAsWaiter?.(false);
  }
}

/** Keeps `?file=` in the address bar in step with the open file, so a reload reopens it. */
function setFileInUrl(name: string | null): void {
  if (typeof window === 'undefined') return;
  const url = new URL(window.location.href);
  if (name) url.searchParams.set('file', name);
  else url.searchParams.delete('file');
  window.history.replaceState(null, '', url);
}
