/**
 * The view move under way: the latest fit, zoom or focus animation asked of React Flow and
 * not yet finished. The canvas element shows it as `data-view-moves` (`1` while one is under
 * way, else `0`), so a test (or anything else) can wait for a still view on the app's word
 * rather than after a pause: React Flow queues a fit until its next render, so the transform
 * alone cannot tell that one is coming.
 *
 * Only the latest move counts. A new move interrupts the one before it (d3 runs one
 * transition at a time on the zoom pane), and React Flow never settles an interrupted move's
 * promise: counting every move would leave the count stuck above zero for good.
 */
let latest: Promise<unknown> | null = null;
let shown: HTMLElement | null = null;

function show(): void {
  if (shown) shown.dataset['viewMoves'] = latest ? '1' : '0';
}

/** The element that shows the state (the canvas), or `null` when it unmounts. */
export function showViewMovesOn(element: HTMLElement | null): void {
  shown = element;
  show();
}

/** Marks a move (React Flow's promise, settled when its animation ends) as the one under way. */
export function trackViewMove(move: Promise<unknown> | undefined): void {
  if (!move) return;
  latest = move;
  show();
  const done = () => {
    if (latest !== move) return;
    latest = null;
    show();
  };
  move.then(done, done);
}
