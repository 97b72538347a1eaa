import { useEffect, useState } from 'react';
import type { FileEntry } from '../../core/api/contract/index.js';
import { recentFiles } from '../files/recent.js';
import { normaliseFileName } from '../files/session.js';
import { errorMessage } from '../lib/api.js';
import { useServices } from '../lib/context.js';
import { Dialog } from './Dialog.js';

function formatWhen(ms: number): string {
  return new Date(ms).toLocaleString();
}

/** Open: the designs in the served folder, recent ones first; loading, empty and error states. */
export function OpenDialog() {
  const { editor, session } = useServices();
  const [files, setFiles] = useState<FileEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const recent = recentFiles();
  useEffect(() => {
    let live = true;
    session.list().then(
      (list) => live && setFiles(list),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [session]);
  const open = async (name: string) => {
    editor.openDialog(null);
    await session.open(name);
  };
  const ordered = files ? [...files].sort((a, b) => Number(recent.includes(b.name)) - Number(recent.includes(a.name)) || recent.indexOf(a.name) - recent.indexOf(b.name)) : [];
  return (
    <Dialog title="Open a design" testId="open-dialog">
      {error ? (
        <div className="error-state" data-testid="open-error">
          <strong>Could not list the designs</strong>
          <span>{error}</span>
        </div>
      ) : files === null ? (
        <div className="loading-state" data-testid="open-loading">
          <span className="spinner" /> Loading designs…
        </div>
      ) : files.length === 0 ? (
        <div className="empty-state" data-testid="open-empty">
          <strong>No designs in this folder yet</strong>
          <span>Save one with Save as, or start from a template.</span>
        </div>
      ) : (
        <ul className="file-list">
          {ordered.map((f) => (
            <li key={f.name}>
              <button type="button" className="file-row" data-testid={`open-file-${f.name}`} onClick={() => void open(f.name)}>
                <span className="file-row-name">
                  {f.name}
                  {recent.includes(f.name) ? <span className="tag">recent</span> : null}
                </span>
                <span className="muted">
                  {(f.size / 1024).toFixed(1)} KB · {formatWhen(f.mtime)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

/** Save as: a file name in the served folder; refuses to overwrite unless asked. */
export function SaveAsDialog() {
  const { editor, session } = useServices();
  const current = editor.state.file.name;
  const [name, setName] = useState(current ?? `${(editor.doc.name || 'design').toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}.topolab.json`);
  const [overwrite, setOverwrite] = useState(false);
  const normalised = normaliseFileName(name);
  const submit = async () => {
    if (await session.saveAs(name, overwrite)) editor.openDialog(null);
  };
  return (
    <Dialog
      title="Save as"
      testId="save-as-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={() => editor.openDialog(null)}>
            Cancel
          </button>
          <button type="button" className="button primary" data-testid="save-as-confirm" disabled={!normalised} onClick={() => void submit()}>
            Save
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="field">
          <label htmlFor="save-as-name">File name</label>
          <input id="save-as-name" data-testid="save-as-name" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
          <div className="field-hint">Saved as {normalised || '…'} in the served folder.</div>
        </div>
        <label className="field checkbox">
          <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> Replace the file if it exists
        </label>
      </form>
    </Dialog>
  );
}

/** New while there are unsaved changes: say what will be lost. */
export function ConfirmNewDialog() {
  const { editor, session } = useServices();
  return (
    <Dialog
      title="Discard unsaved changes?"
      testId="confirm-new-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={() => editor.openDialog(null)}>
            Keep editing
          </button>
          <button
            type="button"
            className="button danger"
            data-testid="confirm-new"
            onClick={() => {
              editor.openDialog(null);
              session.newDesign();
            }}
          >
            Discard and start new
          </button>
        </>
      }
    >
      <p>The current design has changes that are not saved. A backup is kept until you save or discard it.</p>
    </Dialog>
  );
}
