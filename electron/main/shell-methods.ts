/**
 * The few methods only the desktop shell answers (`app.*`): the page's document, its
 * dirty state and text (for the close prompt and the backups), save with a native dialog,
 * and the open dialog. They travel over the same `call` as the core contract and are
 * checked with zod the same way; everything else goes to the core service.
 */
import { z } from 'zod';
import { ApiError, MAX_TOPOLOGY_TEXT } from '../../core/api/index.js';
import { formatPath } from '../../core/model/load.js';

/** The input schema of each shell method. */
export const shellMethods = {
  /** The design this window shows: `{ path, name, text, dirty, recovered }`. */
  'app.document': z.strictObject({}),
  /** The page reports its state; `text` (the whole file) lets the shell back up and save on close. */
  'app.changed': z.strictObject({ dirty: z.boolean(), text: z.string().max(MAX_TOPOLOGY_TEXT).optional() }),
  /** Saves `text` to the window's file (or asks where, for a new design or with `as: true`). */
  'app.save': z.strictObject({ text: z.string().max(MAX_TOPOLOGY_TEXT), as: z.boolean().optional() }),
  /** Shows the open dialog; each chosen design opens in its own window. */
  'app.open': z.strictObject({}),
  /** Opens a window with a new, empty design. */
  'app.new': z.strictObject({}),
};

/** A shell method name. */
export type ShellMethod = keyof typeof shellMethods;

/** What `app.document` answers. */
export interface DocumentInfo {
  path: string | null;
  name: string;
  text: string | null;
  dirty: boolean;
  /** True when the text comes from a backup offered back after a crash. */
  recovered: boolean;
}

/** What `app.save` answers: `saved: false` when the user cancelled the dialog. */
export type SaveResult = { saved: true; path: string; name: string } | { saved: false };

/** The implementation behind the shell methods, for one window. */
export interface ShellHandlers {
  document(): DocumentInfo;
  changed(input: z.output<(typeof shellMethods)['app.changed']>): void;
  save(input: z.output<(typeof shellMethods)['app.save']>): Promise<SaveResult>;
  open(): Promise<{ opened: string[] }>;
  newDocument(): void;
}

/** Whether a method name belongs to the shell. */
export function isShellMethod(method: string): method is ShellMethod {
  return Object.prototype.hasOwnProperty.call(shellMethods, method);
}

/** Validates the input and runs a shell method; rejects with `ApiError` like the core service. */
export async function callShellMethod(handlers: ShellHandlers, method: ShellMethod, input: unknown): Promise<unknown> {
  const parsed = shellMethods[method].safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    throw new ApiError('bad-input', `invalid input for ${method}: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).slice(0, 5).join('; ')}`, issues);
  }
  switch (method) {
    case 'app.document':
      return handlers.document();
    case 'app.changed':
      handlers.changed(parsed.data as z.output<(typeof shellMethods)['app.changed']>);
      return null;
    case 'app.save':
      return handlers.save(parsed.data as z.output<(typeof shellMethods)['app.save']>);
    case 'app.open':
      return handlers.open();
    case 'app.new':
      handlers.newDocument();
      return null;
  }
}
