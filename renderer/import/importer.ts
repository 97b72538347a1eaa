import type { ImportResult } from '../../core/api/contract/index.js';
import { ApiError, type ApiIssue } from '../../core/api/contract/index.js';
import { call } from '../lib/api.js';
import type { FileSession } from '../files/session.js';
import type { Editor } from '../store/editor.js';
import { Store } from '../store/store.js';

/** Where the files of an import come from: the contract's sources. */
export type ImportSource = 'aws' | 'terraform';

/** One file picked or dropped for import: its name and JSON text. */
export interface ImportFile {
  name: string;
  text: string;
}

/** What the report panel beside the imported design shows (the result without its design). */
export interface ImportReport {
  source: ImportSource;
  files: string[];
  nodes: number;
  ignored: ImportResult['ignored'];
  ports: ImportResult['ports'];
  /** The editor's load count of the imported design: the report belongs to that design only. */
  load: number;
}

/** Why an import failed: the service's message and the file + JSON path it names. */
export interface ImportFailure {
  message: string;
  issues: ApiIssue[];
}

/** Files waiting in the import dialog (dropped onto the window) and the last import's report. */
export interface ImportState {
  pending: ImportFile[];
  report: ImportReport | null;
}

/**
 * The source a set of files most likely is: a `terraform show -json` document starts with
 * `format_version` and holds `values` or `planned_values`; anything else is AWS describe
 * output. Only a guess for the dialog's default: the user can choose, and the importer
 * refuses a file that is not what it was told.
 */
export function detectSource(files: readonly ImportFile[]): ImportSource {
  const terraform = files.length === 1 && files.every((f) => /"format_version"\s*:/.test(f.text.slice(0, 4096)) && /"(planned_)?values"\s*:/.test(f.text));
  return terraform ? 'terraform' : 'aws';
}

/** Reads browser File objects (picked or dropped) as text, in order. */
export async function readFiles(list: Iterable<File>): Promise<ImportFile[]> {
  return Promise.all([...list].map(async (file) => ({ name: file.name, text: await file.text() })));
}

/** Adds files to a list, a later file of the same name replacing the earlier one. */
export function mergeFiles(current: readonly ImportFile[], added: readonly ImportFile[]): ImportFile[] {
  const names = new Set(added.map((f) => f.name));
  return [...current.filter((f) => !names.has(f.name)), ...added];
}

/** An error of the import call as the dialog shows it. */
export function importFailure(error: unknown): ImportFailure {
  if (error instanceof ApiError) return { message: error.message, issues: error.issues ?? [] };
  return { message: error instanceof Error ? error.message : String(error), issues: [] };
}

/**
 * The app's side of File > Import: holds dropped files for the dialog, calls the service's
 * `import`, opens the result as a new unsaved design through the session (as New and
 * templates do) and keeps its report for the panel beside the design.
 */
export class Importer {
  readonly store = new Store<ImportState>({ pending: [], report: null });

  constructor(
    private readonly editor: Editor,
    private readonly session: FileSession,
  ) {}

  /** Files dropped onto the window: the import dialog opens with them. */
  offer(files: ImportFile[]): void {
    this.store.update((s) => ({ ...s, pending: files }));
    this.editor.openDialog('import');
  }

  /** Takes the files waiting for the dialog (once). */
  takePending(): ImportFile[] {
    const { pending } = this.store.getState();
    if (pending.length > 0) this.store.update((s) => ({ ...s, pending: [] }));
    return pending;
  }

  /**
   * Imports the files and opens the design (the caller asked about unsaved changes first).
   * Rejects with the service's error (ApiError naming the file and JSON path) and then
   * leaves the open design as it was.
   */
  async run(source: ImportSource, files: ImportFile[]): Promise<ImportReport> {
    const result = await call('import', { source, files });
    this.session.newDesign(result.topology, `Import ${source === 'aws' ? 'AWS' : 'Terraform'}`);
    const report: ImportReport = { source, files: files.map((f) => f.name), nodes: result.nodes, ignored: result.ignored, ports: result.ports, load: this.editor.state.loads };
    this.store.update((s) => ({ ...s, report }));
    // The import must show all it imported: when the opening view (legible zoom, panning
    // what does not fit) leaves a node (a container whole) out of view, the whole design is
    // fitted, down to the far view, as a trace's path is (docs/canvas.md, Legibility).
    this.editor.reveal('all', undefined, 'covered', true);
    return report;
  }

  /** Closes the report panel. */
  closeReport(): void {
    this.store.update((s) => ({ ...s, report: null }));
  }
}
