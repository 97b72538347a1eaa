import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Store } from './store.js';

/**
 * Subscribes a component to a slice of a store. The selector's result is compared with
 * `Object.is` (or `equal`), so a component re-renders only when its slice changes.
 */
export function useStore<S, T>(store: Store<S>, selector: (state: S) => T, equal: (a: T, b: T) => boolean = Object.is): T {
  const last = useRef<{ state: S; value: T } | undefined>(undefined);
  const getSnapshot = useCallback((): T => {
    const state = store.getState();
    const cached = last.current;
    if (cached && cached.state === state) return cached.value;
    const value = selector(state);
    if (cached && equal(cached.value, value)) {
      last.current = { state, value: cached.value };
      return cached.value;
    }
    last.current = { state, value };
    return value;
  }, [store, selector, equal]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}
