/** One state of the document with the name of the edit that produced it ("Move web-1"). */
export interface HistoryEntry<D> {
  doc: D;
  label: string;
}

/**
 * Undo/redo over immutable documents. Each edit pushes the previous state; an edit with
 * the same `coalesce` key as the one before replaces it instead (typing in a field is one
 * undo step, not one per key). Pure: every function returns a new history.
 */
export interface History<D> {
  past: HistoryEntry<D>[];
  present: HistoryEntry<D>;
  future: HistoryEntry<D>[];
  /** Key of the last edit, for coalescing. Cleared by undo/redo and `seal`. */
  coalesceKey?: string;
}

/** Most undo steps kept; older ones are dropped. */
export const HISTORY_LIMIT = 200;

/** A history holding one document and no steps. */
export function startHistory<D>(doc: D, label = 'Open'): History<D> {
  return { past: [], present: { doc, label }, future: [] };
}

/** Records an edit. A no-op edit (same document) records nothing. */
export function record<D>(history: History<D>, doc: D, label: string, coalesce?: string): History<D> {
  if (doc === history.present.doc) return history;
  const entry = { doc, label };
  if (coalesce !== undefined && coalesce === history.coalesceKey) {
    return { past: history.past, present: entry, future: [], coalesceKey: coalesce };
  }
  const past = [...history.past, history.present];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return coalesce === undefined ? { past, present: entry, future: [] } : { past, present: entry, future: [], coalesceKey: coalesce };
}

/** Ends coalescing, so the next edit with the same key starts a new step (a field lost focus). */
export function seal<D>(history: History<D>): History<D> {
  if (history.coalesceKey === undefined) return history;
  return { past: history.past, present: history.present, future: history.future };
}

/** Whether there is an edit to undo. */
export function canUndo<D>(history: History<D>): boolean {
  return history.past.length > 0;
}

/** Whether there is an undone edit to redo. */
export function canRedo<D>(history: History<D>): boolean {
  return history.future.length > 0;
}

/** Steps back one edit; the undone state goes to `future`. */
export function undo<D>(history: History<D>): History<D> {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

/** Re-applies the last undone edit. */
export function redo<D>(history: History<D>): History<D> {
  const [next, ...rest] = history.future;
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
