/** The parts of a key event a shortcut looks at (a DOM KeyboardEvent has them all). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * Whether a key press matches a shortcut such as `Mod+Shift+Z`, `Delete` or `?`. `Mod` is
 * Ctrl (Cmd on macOS); `mac` overrides the platform (tests).
 */
export function matchesShortcut(event: KeyPress, combo: string, mac = isMac): boolean {
  const plus = combo === '+' || combo.endsWith('++');
  const key = plus ? '+' : combo.slice(combo.lastIndexOf('+') + 1);
  const mods = new Set(combo.slice(0, combo.length - key.length).split('+').filter(Boolean));
  const mod = mac ? event.metaKey : event.ctrlKey;
  if (mods.has('Mod') !== mod) return false;
  if (mods.has('Alt') !== event.altKey) return false;
  // For printable symbols (?, +) Shift is implied by the character itself.
  const symbol = key.length === 1 && !/[a-z0-9]/i.test(key);
  if (!symbol && mods.has('Shift') !== event.shiftKey) return false;
  if (key.length === 1 && /[a-z]/i.test(key)) return event.key.toLowerCase() === key.toLowerCase();
  if (key === '1' && mods.has('Shift')) return event.key === '1' || event.key === '!';
  return event.key === key;
}

/** The shortcut as a person reads it on this platform: `Ctrl+Shift+Z` or `⌘⇧Z`. */
export function formatShortcut(combo: string, mac = isMac): string {
  return mac ? combo.replace('Mod+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥') : combo.replace('Mod', 'Ctrl');
}
