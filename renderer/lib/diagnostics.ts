import type { Topology } from '../../core/model/index.js';
import { validateTopology, type Diagnostic, type Severity } from '../../core/validate/index.js';
import { Store } from '../store/store.js';

/** Latest validation result, and whether a newer document is being checked. */
export interface DiagnosticsState {
  diagnostics: Diagnostic[];
  /** The document these diagnostics belong to. */
  doc: Topology | null;
  pending: boolean;
  /** Worst severity per node id, for the badges on the canvas. */
  byNode: Map<string, Severity>;
  /** A validator crash (a bug in a rule): shown, never thrown at the user. */
  error?: string;
}

/** Above this many nodes validation runs in a Web Worker so typing and dragging stay smooth. */
export const WORKER_THRESHOLD = 300;
/** Wait this long after the last edit before validating (ms). */
export const DEBOUNCE_MS = 120;

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** Worst severity per node over a list of diagnostics. */
export function severityByNode(diagnostics: readonly Diagnostic[]): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const d of diagnostics) {
    for (const id of d.nodeIds) {
      const current = out.get(id);
      if (!current || RANK[d.severity] > RANK[current]) out.set(id, d.severity);
    }
  }
  return out;
}

/**
 * Runs the core validator on every document change, debounced, in a worker for large
 * designs; answers for superseded documents are dropped. Small designs are checked on the
 * main thread (a worker round trip costs more than the check).
 */
export class DiagnosticsService {
  readonly store = new Store<DiagnosticsState>({ diagnostics: [], doc: null, pending: false, byNode: new Map() });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private worker: Worker | undefined;
  private sequence = 0;

  /** Schedules a check of `doc` (the latest call wins). */
  schedule(doc: Topology): void {
    if (this.store.getState().doc === doc) return;
    clearTimeout(this.timer);
    this.store.update((s) => (s.pending ? s : { ...s, pending: true }));
    const id = ++this.sequence;
    this.timer = setTimeout(() => this.run(id, doc), DEBOUNCE_MS);
  }

  private run(id: number, doc: Topology): void {
    if (doc.nodes.length >= WORKER_THRESHOLD && typeof Worker !== 'undefined') {
      const worker = this.ensureWorker();
      if (worker) {
        const onMessage = (event: MessageEvent<{ id: number; diagnostics?: Diagnostic[]; error?: string }>): void => {
          if (event.data.id !== id) return;
          worker.removeEventListener('message', onMessage);
          this.finish(id, doc, event.data.diagnostics ?? [], event.data.error);
        };
        worker.addEventListener('message', onMessage);
        worker.postMessage({ id, topology: doc });
        return;
      }
    }
    try {
      this.finish(id, doc, validateTopology(doc));
    } catch (error) {
      this.finish(id, doc, [], error instanceof Error ? error.message : String(error));
    }
  }

  private finish(id: number, doc: Topology, diagnostics: Diagnostic[], error?: string): void {
    if (id !== this.sequence) return; // a newer document is on its way
    this.store.update(() => ({ diagnostics, doc, pending: false, byNode: severityByNode(diagnostics), ...(error ? { error } : {}) }));
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      this.worker = new Worker(new URL('../workers/validate.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      this.worker = undefined;
    }
    return this.worker;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.worker?.terminate();
  }
}
