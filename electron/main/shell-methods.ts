/**
 * The few methods only the desktop shell answers (`app.*`): the page reports its design's
 * name and dirty state (window title, close prompt) and answers the close prompt's
 * request. They travel over the same `call` as the core contract and are checked with zod
 * the same way; everything else goes to the core service.
 */
import { z } from 'zod';
import { parseMethodInput } from '../../core/api/index.js';

/** The input schema of each shell method. */
export const shellMethods = {
  /** The page's design: its name in the window's folder (`null`: never saved) and whether it has unsaved changes. */
  'app.changed': z.strictObject({ dirty: z.boolean(), name: z.string().min(1).max(1024).nullable() }),
  /** Answers an `app.close` request: `close: false` keeps the window open (the save failed or was cancelled). */
  'app.closeReply': z.strictObject({ requestId: z.number().int().min(1), close: z.boolean() }),
};

/** A shell method name. */
export type ShellMethod = keyof typeof shellMethods;

/** The implementation behind the shell methods, for one window. */
export interface ShellHandlers {
  changed(input: z.output<(typeof shellMethods)['app.changed']>): void;
  closeReply(input: z.output<(typeof shellMethods)['app.closeReply']>): void;
}

/** Whether a method name belongs to the shell. */
export function isShellMethod(method: string): method is ShellMethod {
  return Object.prototype.hasOwnProperty.call(shellMethods, method);
}

/** Validates the input and runs a shell method; rejects with `ApiError` like the core service. */
export async function callShellMethod(handlers: ShellHandlers, method: ShellMethod, input: unknown): Promise<unknown> {
  switch (method) {
    case 'app.changed':
      handlers.changed(parseMethodInput(method, shellMethods[method], input));
      return null;
    case 'app.closeReply':
      handlers.closeReply(parseMethodInput(method, shellMethods[method], input));
      return null;
  }
}
