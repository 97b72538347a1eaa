import { useEffect, useState } from 'react';
import { Dialog } from '../dialogs/Dialog.js';
import { useServices } from '../lib/context.js';
import { isDirty } from '../store/editor.js';
import { useStore } from '../store/useStore.js';
import { detectSource, importFailure, mergeFiles, readFiles, type ImportFailure, type ImportFile, type ImportSource } from './importer.js';

const SOURCE_LABEL: Record<ImportSource, string> = { aws: 'AWS describe output', terraform: 'Terraform (terraform show -json)' };

/**
 * File > Import: AWS CLI describe JSON files or one `terraform show -json` file, picked
 * here or dropped onto the window; the source detected, or chosen. The result opens as a
 * new unsaved design; unsaved changes are named on the button before they are replaced.
 * A file the service cannot read keeps the dialog open with its message (file + JSON path).
 */
export function ImportDialog() {
  const { editor, importer } = useServices();
  const dirty = useStore(editor.store, isDirty);
  const pending = useStore(importer.store, (s) => s.pending);
  const [files, setFiles] = useState<ImportFile[]>([]);
  const [choice, setChoice] = useState<'detect' | ImportSource>('detect');
  const [failure, setFailure] = useState<ImportFailure | null>(null);
  const [busy, setBusy] = useState(false);

  // Files dropped onto the window (before or while the dialog is open) join the list.
  useEffect(() => {
    if (pending.length === 0) return;
    const taken = importer.takePending();
    setFiles((current) => mergeFiles(current, taken));
    setFailure(null);
  }, [pending, importer]);

  const detected = detectSource(files);
  const source = choice === 'detect' ? detected : choice;

  const pick = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    try {
      const read = await readFiles(list);
      setFiles((current) => mergeFiles(current, read));
      setFailure(null);
    } catch (error) {
      setFailure(importFailure(error));
    }
  };

  const submit = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const report = await importer.run(source, files);
      editor.openDialog(null);
      editor.toast('success', `Imported ${report.nodes} node${report.nodes === 1 ? '' : 's'} from ${files.length} file${files.length === 1 ? '' : 's'}`);
    } catch (error) {
      setFailure(importFailure(error));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Import existing infrastructure"
      testId="import-dialog"
      wide
      footer={
        <>
          <button type="button" className="button" onClick={() => editor.openDialog(null)}>
            Cancel
          </button>
          <button type="button" className={`button ${dirty ? 'danger' : 'primary'}`} data-testid="import-confirm" disabled={files.length === 0 || busy} onClick={() => void submit()}>
            {busy ? 'Importing…' : dirty ? 'Discard changes and import' : 'Import'}
          </button>
        </>
      }
    >
      <p className="muted">
        The JSON of AWS CLI describe commands (<code>aws ec2 describe-vpcs --output json</code>, …; any number of files) or of one <code>terraform show -json</code> (state
        or saved plan). Pick the files, or drop them onto the window. The result opens as a new, unsaved design.
      </p>
      <div className="field">
        <label htmlFor="import-files">Files</label>
        <input id="import-files" type="file" multiple accept=".json,application/json" data-testid="import-input" onChange={(e) => void pick(e.target.files)} />
      </div>
      {files.length > 0 ? (
        <ul className="import-files" data-testid="import-files">
          {files.map((f) => (
            <li key={f.name} data-testid={`import-file-${f.name}`}>
              <span>{f.name}</span>
              <span className="muted">{(f.text.length / 1024).toFixed(1)} KB</span>
              <button type="button" className="icon-button" aria-label={`Remove ${f.name}`} onClick={() => setFiles((current) => current.filter((x) => x.name !== f.name))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <div className="empty-state small" data-testid="import-no-files">
          <span>No files yet.</span>
        </div>
      )}
      <div className="field">
        <label htmlFor="import-source">Source</label>
        <select id="import-source" data-testid="import-source" value={choice} onChange={(e) => setChoice(e.target.value as 'detect' | ImportSource)}>
          <option value="detect">Detect ({files.length > 0 ? SOURCE_LABEL[detected] : 'from the files'})</option>
          <option value="aws">{SOURCE_LABEL.aws}</option>
          <option value="terraform">{SOURCE_LABEL.terraform}</option>
        </select>
      </div>
      {dirty ? (
        <p className="field-hint" data-testid="import-unsaved">
          The current design has changes that are not saved: importing replaces it. A backup is kept until you save or discard it.
        </p>
      ) : null}
      {failure ? (
        <div className="error-state small" role="alert" data-testid="import-error">
          <strong>{failure.message}</strong>
          {failure.issues.map((issue, i) => (
            <span key={i} data-testid="import-error-issue">
              {issue.path}: {issue.message}
            </span>
          ))}
        </div>
      ) : null}
    </Dialog>
  );
}
