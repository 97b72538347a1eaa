import { useEffect, useRef, type ReactNode } from 'react';
import { useEditor } from '../lib/context.js';

/** A modal dialog over the app: title, body, footer; Escape and the backdrop close it. */
export function Dialog({
  title,
  testId,
  children,
  footer,
  wide,
  onClose,
  placement = 'center',
}: {
  title: string;
  testId: string;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  onClose?: () => void;
  /** `bottom`: docked low with a clear backdrop, so the canvas preview above stays visible. */
  placement?: 'center' | 'bottom';
}) {
  const editor = useEditor();
  const ref = useRef<HTMLDivElement>(null);
  const close = onClose ?? (() => editor.openDialog(null));
  useEffect(() => {
    // Focus the first field so the dialog is usable from the keyboard at once.
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog-close)');
    first?.focus();
  }, []);
  return (
    <div className={`dialog-backdrop placement-${placement}`} onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref}>
        <header className="dialog-header">
          <h2>{title}</h2>
          <button type="button" className="icon-button dialog-close" aria-label="Close" data-testid="dialog-close" onClick={close}>
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        {footer ? <footer className="dialog-footer">{footer}</footer> : null}
      </div>
    </div>
  );
}
