import { emptyTopology, type Topology } from '../../core/model/index.js';
import { ActionRefused } from '../actions/errors.js';
import { DEFAULT_PANELS, type PanelPrefs } from '../layout/panels.js';
import { canRedo, canUndo, record, redo, seal, startHistory, undo, type History } from './history.js';
import { Store } from './store.js';

/** A short message in the corner: what happened, or why an edit was refused. */
export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  message: string;
}

/** Dialogs and sheets over the canvas; one at a time. */
export type DialogName = 'open' | 'import' | 'save-as' | 'planner' | 'export' | 'help' | 'templates' | 'confirm-new' | null;

/** What the reachability tool shows on the canvas. */
export interface Highlight {
  nodes: string[];
  /** Canvas edge ids on the path. */
  edges: string[];
  /** The node that blocks the flow, drawn in the error colour. */
  blocked?: string;
}

/**
 * What the canvas should show: nodes (or the whole design), fitted at a legible zoom or,
 * when they do not fit at one, centred on `anchor` (a selection, a blocker).
 */
export interface FocusRequest {
  ids: string[] | 'all';
  nonce: number;
  anchor?: string[];
  /**
   * Move the view only when a node is not in full view: `covered` counts a node under the
   * zoom controls or the minimap as not seen (and re-fits legibly), `outside` only a node
   * (partly) out of the canvas (and pans just enough, keeping the zoom).
   */
  onlyIfHidden?: 'covered' | 'outside';
  /**
   * Fit the nodes whole, down to `PATH_ZOOM` (a trace's path: the far view keeps titles
   * legible), before panning. With `ids: 'all'` (an import), containers must be in view
   * whole, not only their headers.
   */
  whole?: boolean;
}

/** User preferences kept across sessions. */
export interface Settings {
  theme: 'light' | 'dark';
  snapToGrid: boolean;
  /** Prefix length of a subnet dropped from the palette. */
  subnetPrefix: number;
  minimap: boolean;
  /** Whether the diagnostics panel is shown under the inspector. */
  diagnostics: boolean;
  /** Sizes of the palette, sidebar and lab dock, and which side panels are folded. */
  panels: PanelPrefs;
}

/** Everything the editor knows: the document's history, selection, file and UI state. */
export interface EditorState {
  history: History<Topology>;
  /** Selected node ids (the first is the one the inspector shows). */
  selection: string[];
  /** Selected canvas edge ids. */
  selectedEdges: string[];
  /** The open file's name (`null`: never saved) and the document as last saved or opened. */
  file: { name: string | null; saved: Topology | null };
  toasts: Toast[];
  settings: Settings;
  dialog: DialogName;
  /** Reachability tool: active, and the source already picked. */
  traceTool: { active: boolean; source?: string; destination?: string };
  highlight: Highlight | null;
  /** A request to bring nodes into view (the canvas answers it); the nonce makes a repeat request visible. */
  focus: FocusRequest | null;
  /** Counts documents loaded (open, new, recover): the canvas fits the view to each new one. */
  loads: number;
  /** A proposed edit drawn on the canvas but not applied (the subnet planner's preview). */
  preview: { doc: Topology; added: string[] } | null;
}

/** Preferences before the user changes any. */
export const DEFAULT_SETTINGS: Settings = { theme: 'light', snapToGrid: true, subnetPrefix: 24, minimap: true, diagnostics: true, panels: DEFAULT_PANELS };

/** Options of one edit. */
export interface ApplyOptions {
  /** Consecutive edits with the same key are one undo step (typing in a field). */
  coalesce?: string;
  /** Select these nodes after the edit. */
  select?: string[];
}

/**
 * Decides whether an edit may happen: answers why not, or null. Lab mode registers one
 * so a running lab locks the design's structure; apply, undo and redo all ask.
 */
export type EditGuard = (before: Topology, after: Topology, label: string) => string | null;

let toastCounter = 0;

/**
 * The editor: the document with its undo history, the selection and the UI state. Every
 * change of the document goes through `apply`, which runs a pure action and records it,
 * so toolbar, keyboard, context menu and tests share one path and undo covers them all.
 */
export class Editor {
  readonly store: Store<EditorState>;
  private readonly guards = new Set<EditGuard>();

  constructor(doc: Topology = emptyTopology(), settings: Settings = DEFAULT_SETTINGS) {
    this.store = new Store<EditorState>({
      history: startHistory(doc),
      selection: [],
      selectedEdges: [],
      file: { name: null, saved: doc },
      toasts: [],
      settings,
      dialog: null,
      traceTool: { active: false },
      highlight: null,
      focus: null,
      loads: 0,
      preview: null,
    });
  }

  get state(): EditorState {
    return this.store.getState();
  }

  /** The current document. */
  get doc(): Topology {
    return this.state.history.present.doc;
  }

  /** Whether the document differs from the one last saved or opened. */
  get dirty(): boolean {
    return isDirty(this.state);
  }

  /**
   * Runs a pure action on the document and records it for undo. A refused action
   * (ActionRefused) leaves everything as it was and shows its reason; returns whether the
   * edit happened.
   */
  apply(label: string, action: (doc: Topology) => Topology, options: ApplyOptions = {}): boolean {
    let next: Topology;
    try {
      next = action(this.doc);
    } catch (error) {
      if (error instanceof ActionRefused) {
        this.toast('error', error.message);
        return false;
      }
      throw error;
    }
    if (this.refused(this.doc, next, label)) return false;
    this.store.update((s) => {
      const history = record(s.history, next, label, options.coalesce);
      const known = new Set(next.nodes.map((n) => n.id));
      const selection = options.select ?? s.selection.filter((id) => known.has(id));
      return { ...s, history, selection, highlight: history === s.history ? s.highlight : null };
    });
    return true;
  }

  /** Ends the current coalesced edit (a field lost focus). */
  seal(): void {
    this.store.update((s) => ({ ...s, history: seal(s.history) }));
  }

  canUndo(): boolean {
    return canUndo(this.state.history);
  }

  canRedo(): boolean {
    return canRedo(this.state.history);
  }

  undo(): void {
    if (!canUndo(this.state.history) || this.refused(this.doc, undo(this.state.history).present.doc, 'Undo')) return;
    this.store.update((s) => (canUndo(s.history) ? withDoc(s, undo(s.history)) : s));
  }

  redo(): void {
    if (!canRedo(this.state.history) || this.refused(this.doc, redo(this.state.history).present.doc, 'Redo')) return;
    this.store.update((s) => (canRedo(s.history) ? withDoc(s, redo(s.history)) : s));
  }

  /** Registers an edit guard; returns the function that removes it. */
  addGuard(guard: EditGuard): () => void {
    this.guards.add(guard);
    return () => this.guards.delete(guard);
  }

  /** Asks every guard; a refusal is shown as a toast. */
  private refused(before: Topology, after: Topology, label: string): boolean {
    if (before === after) return false;
    for (const guard of this.guards) {
      const reason = guard(before, after, label);
      if (reason) {
        this.toast('error', reason);
        return true;
      }
    }
    return false;
  }

  /** Replaces the document (open, new, recover): a fresh history, nothing selected. */
  load(doc: Topology, file: { name: string | null; saved: Topology | null }, label = 'Open'): void {
    this.store.update((s) => ({
      ...s,
      history: startHistory(doc, label),
      selection: [],
      selectedEdges: [],
      file,
      highlight: null,
      traceTool: { active: false },
      loads: s.loads + 1,
    }));
  }

  /** Marks the current document as saved under a name. */
  markSaved(name: string): void {
    this.store.update((s) => ({ ...s, file: { name, saved: s.history.present.doc } }));
  }

  select(ids: string[], edges: string[] = []): void {
    this.store.update((s) =>
      sameList(s.selection, ids) && sameList(s.selectedEdges, edges) ? s : { ...s, selection: ids, selectedEdges: edges },
    );
  }

  /**
   * Asks the canvas to show nodes and selects them (or only `select`, e.g. a diagnostic's
   * first node, which the view then centres on when all of them do not fit legibly).
   */
  focusOn(ids: string[], select: string[] = ids): void {
    this.store.update((s) => ({ ...s, selection: select, selectedEdges: [], focus: { ids, nonce: (s.focus?.nonce ?? 0) + 1, ...(select.length > 0 ? { anchor: select } : {}) } }));
  }

  /**
   * Asks the canvas to bring nodes into view when any is hidden (see `FocusRequest`): a
   * trace's path (`covered`, centred on `anchor` when it does not fit), a node just dropped
   * out of view (`outside`). The selection stays. `whole`: see `FocusRequest`.
   */
  reveal(ids: string[] | 'all', anchor?: string[], mode: 'covered' | 'outside' = 'covered', whole = false): void {
    this.store.update((s) => ({ ...s, focus: { ids, nonce: (s.focus?.nonce ?? 0) + 1, onlyIfHidden: mode, ...(whole ? { whole } : {}), ...(anchor && anchor.length > 0 ? { anchor } : {}) } }));
  }

  /** Asks the canvas to show the design at a legible zoom, centred on the selection when it does not fit. */
  fitDesign(): void {
    this.store.update((s) => ({ ...s, focus: { ids: 'all', nonce: (s.focus?.nonce ?? 0) + 1, ...(s.selection.length > 0 ? { anchor: s.selection } : {}) } }));
  }

  toast(tone: Toast['tone'], message: string): void {
    const id = ++toastCounter;
    this.store.update((s) => ({ ...s, toasts: [...s.toasts.slice(-3), { id, tone, message }] }));
  }

  dismissToast(id: number): void {
    this.store.update((s) => ({ ...s, toasts: s.toasts.filter((t) => t.id !== id) }));
  }

  openDialog(dialog: DialogName): void {
    this.store.update((s) => (s.dialog === dialog ? s : { ...s, dialog }));
  }

  updateSettings(patch: Partial<Settings>): void {
    this.store.update((s) => ({ ...s, settings: { ...s.settings, ...patch } }));
  }

  /** Changes panel sizes or folds (remembered with the other settings). */
  updatePanels(patch: Partial<PanelPrefs>): void {
    this.store.update((s) => {
      const current = s.settings.panels;
      const changed = (Object.keys(patch) as (keyof PanelPrefs)[]).some((k) => patch[k] !== current[k]);
      return changed ? { ...s, settings: { ...s.settings, panels: { ...current, ...patch } } } : s;
    });
  }

  setTraceTool(tool: EditorState['traceTool']): void {
    this.store.update((s) => ({ ...s, traceTool: tool, highlight: tool.active ? s.highlight : null }));
  }

  /** Shows (or, with null, clears) a proposed document on the canvas without applying it. */
  setPreview(preview: EditorState['preview']): void {
    this.store.update((s) => (s.preview === preview ? s : { ...s, preview }));
  }

  setHighlight(highlight: Highlight | null): void {
    this.store.update((s) => (s.highlight === highlight ? s : { ...s, highlight }));
  }
}

/** Whether the state's document differs from the saved one (by identity: undo back to it is clean). */
export function isDirty(state: EditorState): boolean {
  return state.history.present.doc !== state.file.saved;
}

function withDoc(state: EditorState, history: History<Topology>): EditorState {
  const known = new Set(history.present.doc.nodes.map((n) => n.id));
  return { ...state, history, selection: state.selection.filter((id) => known.has(id)), highlight: null };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
