import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** Pixels one arrow key press moves a splitter. */
const STEP = 16;

/**
 * A draggable edge that resizes a panel: a pointer drag or the arrow keys (Home/End for
 * the limits), announced as a separator with its value. `grow` says which way the panel
 * grows: +1 when dragging right (or down) makes it bigger, -1 when dragging left (or up).
 */
export function Splitter({
  label,
  testId,
  orientation,
  value,
  min,
  max,
  grow,
  onChange,
  className = '',
}: {
  label: string;
  testId: string;
  /** `vertical`: a line between columns, dragged sideways; `horizontal`: a line between rows. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  grow: 1 | -1;
  onChange: (value: number) => void;
  className?: string;
}) {
  const drag = useRef<{ start: number; value: number } | null>(null);
  const clamp = (v: number): number => Math.round(Math.min(max, Math.max(min, v)));
  const coordinate = (event: PointerEvent): number => (orientation === 'vertical' ? event.clientX : event.clientY);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { start: coordinate(event), value };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const current = drag.current;
    if (!current) return;
    onChange(clamp(current.value + grow * (coordinate(event) - current.start)));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    drag.current = null;
    if (event.currentTarget.hasPointerCapture(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const bigger = orientation === 'vertical' ? (grow === 1 ? 'ArrowRight' : 'ArrowLeft') : grow === 1 ? 'ArrowDown' : 'ArrowUp';
    const smaller = orientation === 'vertical' ? (grow === 1 ? 'ArrowLeft' : 'ArrowRight') : grow === 1 ? 'ArrowUp' : 'ArrowDown';
    const next = event.key === bigger ? value + STEP : event.key === smaller ? value - STEP : event.key === 'Home' ? min : event.key === 'End' ? max : null;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    onChange(clamp(next));
  };
  return (
    <div
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={Math.round(value)}
      aria-valuemin={Math.round(min)}
      aria-valuemax={Math.round(max)}
      className={`splitter splitter-${orientation} ${className}`}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
