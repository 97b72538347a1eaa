/**
 * A minimal external store: state, an updater, and subscribers. React reads it with
 * `useSyncExternalStore` (see useStore.ts); tests and actions use it without React.
 */
export class Store<S> {
  private listeners = new Set<() => void>();

  constructor(private state: S) {}

  getState = (): S => this.state;

  /** Replaces the state with the updater's result and notifies subscribers if it changed. */
  update(updater: (state: S) => S): void {
    const next = updater(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
