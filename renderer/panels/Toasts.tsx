import { useEffect } from 'react';
import { useEditor } from '../lib/context.js';
import { useStore } from '../store/useStore.js';
import type { Toast } from '../store/editor.js';

/** How long a toast stays (ms); errors stay longer, they carry reasons worth reading. */
const LIFETIME = { info: 3000, success: 3000, error: 7000 } as const;

function ToastItem({ toast, onClose }: { toast: Toast; onClose: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onClose, LIFETIME[toast.tone]);
    return () => clearTimeout(timer);
  }, [toast, onClose]);
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'} data-testid="toast" data-tone={toast.tone}>
      <span>{toast.message}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onClose}>
        ×
      </button>
    </div>
  );
}

/** Messages in the corner: what happened, and why an edit was refused. */
export function Toasts() {
  const editor = useEditor();
  const toasts = useStore(editor.store, (s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} onClose={() => editor.dismissToast(t.id)} />
      ))}
    </div>
  );
}
