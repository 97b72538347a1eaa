import type { z } from 'zod';

/**
 * Who answers a method or sends an event. `service`: the core service, on every transport
 * (in-process, HTTP + WebSocket, IPC). `shell`: the desktop shell's main process, over its
 * IPC only; the service and `topolab serve` refuse these with a message that says so.
 */
export type ServedBy = 'service' | 'shell';

/**
 * One method of the service: its input schema (checked at every transport edge) and,
 * as a phantom type, its output. Outputs are produced by our own code, so they are typed
 * rather than re-validated; the contract test suite checks them per transport.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly description: string;
  readonly servedBy: ServedBy;
  /** Phantom: never set at run time; carries the output type. */
  readonly output?: O;
}

/** Declares a method; the output type is given explicitly: `defineMethod<Out>()(schema, '...')`. */
export function defineMethod<O>() {
  return <I extends z.ZodType>(input: I, description: string): MethodSpec<I, O> => ({ input, description, servedBy: 'service' });
}

/** Declares a method only the desktop shell answers, over IPC (`app.*`). */
export function defineShellMethod<O>() {
  return <I extends z.ZodType>(input: I, description: string): MethodSpec<I, O> => ({ input, description, servedBy: 'shell' });
}

/** Declares an event with the type of its payload. */
export interface EventSpec<P = unknown> {
  readonly description: string;
  readonly servedBy: ServedBy;
  readonly payload?: P;
}

/** Declares an event of the contract: its description, and its payload type `P` (type-level only). */
export function defineEvent<P>(description: string): EventSpec<P> {
  return { description, servedBy: 'service' };
}

/** Declares an event only the desktop shell sends, over IPC (`app.*`). */
export function defineShellEvent<P>(description: string): EventSpec<P> {
  return { description, servedBy: 'shell' };
}
