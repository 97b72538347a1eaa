import { fstatSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Tty from 'node:tty';

/**
 * Colour only when writing to a terminal, and never when NO_COLOR is set (no-color.org);
 * FORCE_COLOR turns it on for pipes. Decided from the file descriptor without creating
 * `process.stdout` and without loading the tty module (which loads `net`) unless the
 * descriptor is a character device other than /dev/null: a pipe or a file never is a terminal.
 */
export function useColour(fd: number = 1): boolean {
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  try {
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice() || stats.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return (createRequire(import.meta.url)('node:tty') as typeof Tty).isatty(fd);
}

/** Pads columns of a table for terminal output. */
export function formatTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)))).join('  '))
    .join('\n');
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
