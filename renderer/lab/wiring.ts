import type { Topology } from '../../core/model/index.js';
import type { Editor } from '../store/editor.js';
import type { LabController } from './controller.js';
import { classifyEdit } from './edits.js';
import { isLive } from './state.js';

/**
 * Ties the editor to the live lab: while it runs, structural edits are refused (an edit
 * guard), and property edits the runtime can apply live (server latency, error rate and
 * weight; balancer health check and algorithm) are sent the moment they are made; the
 * rest waits for the next launch.
 */
export function connectEditor(controller: LabController, editor: Editor): () => void {
  const removeGuard = editor.addGuard((_before, after) => {
    const lab = controller.state;
    if (!isLive(lab.phase) || !lab.launched) return null;
    return classifyEdit(lab.launched, after).refused ?? null;
  });
  let seen: Topology = editor.doc;
  const told = new Set<string>();
  const unsubscribe = editor.store.subscribe(() => {
    const doc = editor.doc;
    if (doc === seen) return;
    const before = seen;
    seen = doc;
    const lab = controller.state;
    if (lab.phase !== 'running' || !lab.launched) return;
    const verdict = classifyEdit(before, doc);
    const applied = (message: string) => editor.toast('success', `Applied live: ${message}`);
    const failed = (error: unknown) => editor.toast('error', `Could not apply live: ${error instanceof Error ? error.message : String(error)}`);
    for (const fault of verdict.live) controller.inject(fault).then(applied, failed);
    for (const change of verdict.configure) controller.configure(change).then(applied, failed);
    const fresh = verdict.deferred.filter((what) => !told.has(what));
    if (fresh.length > 0) {
      for (const what of fresh) told.add(what);
      editor.toast('info', `Takes effect at the next launch (the runtime cannot change it live): ${fresh.join(', ')}`);
    }
  });
  return () => {
    removeGuard();
    unsubscribe();
  };
}
