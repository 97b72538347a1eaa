/**
 * View moves under way: fits, zooms and focus animations asked of React Flow and not yet
 * finished. The canvas element shows the count as `data-view-moves`, so a test (or anything
 * else) can wait for a still view on the app's word rather than after a pause: React Flow
 * queues a fit until its next render, so the transform alone cannot tell that one is coming.
 */
let pending = 0;
let shown: HTMLElement | null = null;

function show(): void {
  if (shown) shown.dataset['viewMoves'] = String(pending);
}

/** The element that shows the count (the canvas), or `null` when it unmounts. */
export function showViewMovesOn(element: HTMLElement | null): void {
  shown = element;
  show();
}

/** Counts a move (React Flow's promise, settled when its animation ends) until it settles. */
export function trackViewMove(move: Promise<unknown> | undefined): void {
  if (!move) return;
  pending += 1;
  show();
  const done = () => {
    pending -= 1;
    show();
  };
  move.then(done, done);
}
