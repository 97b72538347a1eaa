import { useEffect, useRef, useState, type ReactNode } from 'react';

/** One entry of a dropdown menu. */
export interface MenuItem {
  id: string;
  label: string;
  hint?: string;
  disabled?: boolean;
  onSelect: () => void;
}

/** A toolbar button that opens a list of items; closes on choice, outside click or Escape. */
export function Menu({ label, items, testId, icon }: { label: string; items: MenuItem[]; testId: string; icon?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
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
      <button type="button" className="tool-button" aria-haspopup="menu" aria-expanded={open} data-testid={testId} onClick={() => setOpen((o) => !o)}>
        {icon}
        {label} <span className="caret">▾</span>
      </button>
      {open ? (
        <div className="menu-list" role="menu">
          {items.map((item) => (
            <button
              key={item.id}
              type="button"
              role="menuitem"
              className="menu-item"
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
