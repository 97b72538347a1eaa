import { useEffect, useRef, useState, type ReactNode } from 'react';

/** One entry of a dropdown menu. */
export interface MenuItem {
  id: string;
  label: string;
  hint?: string;
  disabled?: boolean;
  /** A toggle (a tool that is on): shown checked. */
  checked?: boolean;
  onSelect: () => void;
}

/**
 * A toolbar button that opens a list of items; closes on choice, outside click or Escape.
 * `compact` shows only the icon (the label becomes the tooltip and the accessible name).
 */
export function Menu({ label, items, testId, icon, compact = false, align = 'left' }: { label: string; items: MenuItem[]; testId: string; icon?: ReactNode; compact?: boolean; align?: 'left' | 'right' }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  // The list is fixed to the window (the toolbar clips what overflows it), under its button
  // and kept inside the window.
  const [place, setPlace] = useState<{ top: number; left?: number; right?: number }>({ top: 0 });
  const toggle = () => {
    const box = ref.current?.getBoundingClientRect();
    if (box) setPlace(align === 'right' ? { top: box.bottom + 2, right: Math.max(4, window.innerWidth - box.right) } : { top: box.bottom + 2, left: Math.max(4, Math.min(box.left, window.innerWidth - 248)) });
    setOpen((o) => !o);
  };
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !ref.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="menu" ref={ref}>
      <button type="button" className={`tool-button${compact ? ' compact' : ''}`} aria-haspopup="menu" aria-expanded={open} data-testid={testId} title={compact ? label : undefined} onClick={toggle}>
        {icon}
        {compact ? <span className="sr-only">{label}</span> : label} <span className="caret">▾</span>
      </button>
      {open ? (
        <div className="menu-list" role="menu" style={place}>
          {items.map((item) => (
            <button
              key={item.id}
              type="button"
              role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={item.checked}
              className={`menu-item${item.checked ? ' is-checked' : ''}`}
              disabled={item.disabled}
              data-testid={`menu-${item.id}`}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              <span>{item.label}</span>
              {item.hint ? <kbd>{item.hint}</kbd> : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
