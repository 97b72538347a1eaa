/**
 * The desktop app's windows, one per design file. Each window's page opens, saves, backs
 * up and recovers its design through the core `files.*` methods, in the window's folder;
 * the shell keeps only what windows need: the folder, the name and dirty state the page
 * reports (`app.changed`: title, document-edited marker, remembered placement) and the
 * close prompt. Windows and dialogs are injected, so this runs (and is tested) without
 * Electron.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import type { ShellHandlers } from '../../core/api/index.js';

/** One design window. */
export interface DesignWindow {
  readonly id: number;
  /** The folder the window's `files.*` calls work in (the design's, or the new-designs folder). */
  readonly folder: string;
  /** The design's name in the folder as the page reports it; `null` for a design never saved. */
  name: string | null;
  /** Whether the page reported unsaved changes. */
  dirty: boolean;
}

/** What the shell needs of a window. */
export interface WindowHandle {
  focus(): void;
  /** Title, dirty marker and represented file. */
  show(title: string, dirty: boolean, path: string | null): void;
}

/** The native dialogs the windows use. */
export interface Dialogs {
  chooseDesignsToOpen(parent: number | null): Promise<string[]>;
  askSaveChanges(parent: number, name: string): Promise<'save' | 'discard' | 'cancel'>;
  showError(parent: number | null, title: string, message: string): void;
}

/** Everything the windows use from the outside. */
export interface DesignWindowsDeps {
  /** Creates the Electron window showing `design` (its page loads `?file=NAME` when it has a name). */
  createWindow(design: DesignWindow): WindowHandle;
  dialogs: Dialogs;
  /** Where new designs live. */
  designsFolder: string;
  /** Records a file in the recent lists (own menu list and the OS's). */
  addRecent(path: string): void;
  /**
   * Hands the close prompt's answer to the window's page (`app.close`): it saves, or drops
   * its backup. Resolves true when the window may close.
   */
  askPage(id: number, save: boolean): Promise<boolean>;
  log(message: string): void;
  /** Rejects when a path is not a readable file (default: `stat`). */
  checkFile?(path: string): Promise<void>;
}

/** The name a design is shown as. */
export function displayName(name: string | null): string {
  return name ? basename(name) : 'Untitled';
}

/** The window title: name, a dirty marker where the OS has no other, and the app. */
export function windowTitle(name: string | null, dirty: boolean): string {
  return `${dirty ? '• ' : ''}${displayName(name)} — Topolab`;
}

/** The design's file: its name resolved in its folder, or `null` for a new design. */
export function designPath(design: Pick<DesignWindow, 'folder' | 'name'>): string | null {
  return design.name ? join(design.folder, design.name) : null;
}

/** Whether a name reported by a page stays inside the window's folder (it is used to build paths). */
function insideFolder(folder: string, name: string): boolean {
  const rel = relative(folder, resolve(folder, name));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

async function checkIsFile(path: string): Promise<void> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
}

/** Opens, tracks and closes design windows. */
export class DesignWindows {
  private nextId = 1;
  private readonly open = new Map<number, { design: DesignWindow; handle: WindowHandle }>();

  constructor(private readonly deps: DesignWindowsDeps) {}

  /** The open windows, in opening order. */
  list(): DesignWindow[] {
    return [...this.open.values()].map((entry) => entry.design);
  }

  get(id: number): DesignWindow | undefined {
    return this.open.get(id)?.design;
  }

  /** Opens a design file in its own window, or focuses the window that already shows it. */
  async openPath(path: string): Promise<DesignWindow | undefined> {
    const absolute = resolve(path);
    const existing = this.list().find((design) => designPath(design) === absolute);
    if (existing) {
      this.open.get(existing.id)?.handle.focus();
      return existing;
    }
    try {
      await (this.deps.checkFile ?? checkIsFile)(absolute);
    } catch (error) {
      this.deps.dialogs.showError(null, `Cannot open ${basename(absolute)}`, error instanceof Error ? error.message : String(error));
      return undefined;
    }
    const design = this.add(dirname(absolute), basename(absolute));
    this.deps.addRecent(absolute);
    return design;
  }

  /** Opens a window with a new, empty design whose page saves into `folder`. */
  newDesign(folder: string = this.deps.designsFolder): DesignWindow {
    return this.add(resolve(folder), null);
  }

  /** Shows the open dialog and opens every chosen design. */
  async openWithDialog(parent: number | null): Promise<string[]> {
    const paths = await this.deps.dialogs.chooseDesignsToOpen(parent);
    for (const path of paths) await this.openPath(path);
    return paths;
  }

  /** The page's shell methods for one window (`app.closeReply` is answered by the close handshake). */
  changedHandler(id: number): ShellHandlers['app.changed'] {
    return ({ dirty, name }) => {
      this.changed(id, dirty, name);
      return null;
    };
  }

  /** The page reports its design's name and whether it has unsaved changes. */
  changed(id: number, dirty: boolean, name: string | null): void {
    const entry = this.open.get(id);
    if (!entry) return;
    const { design } = entry;
    if (name !== null && !insideFolder(design.folder, name)) {
      this.deps.log(`window ${id}: ignored the name ${JSON.stringify(name)}, which leaves the folder ${design.folder}`);
      name = design.name;
    }
    const renamed = name !== design.name;
    design.name = name;
    design.dirty = dirty;
    const path = designPath(design);
    if (renamed && path) this.deps.addRecent(path);
    entry.handle.show(windowTitle(name, dirty), dirty, path);
  }

  /**
   * Asked when a window is about to close: true when it may close now. A window whose page
   * reported unsaved changes asks Save / Don't Save / Cancel, then lets the page save or
   * drop its backup.
   */
  async confirmClose(id: number): Promise<boolean> {
    const design = this.get(id);
    if (!design?.dirty) return true;
    const answer = await this.deps.dialogs.askSaveChanges(id, displayName(design.name));
    if (answer === 'cancel') return false;
    return this.deps.askPage(id, answer === 'save');
  }

  /** Forgets a window that closed. */
  closed(id: number): void {
    this.open.delete(id);
  }

  private add(folder: string, name: string | null): DesignWindow {
    const design: DesignWindow = { id: this.nextId++, folder, name, dirty: false };
    const handle = this.deps.createWindow(design);
    this.open.set(design.id, { design, handle });
    handle.show(windowTitle(name, false), false, designPath(design));
    return design;
  }
}
