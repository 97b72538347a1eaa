/**
 * Thrown by an action that refuses its input (a connection that makes no sense, a drop
 * outside any allowed container). The message is shown to the user as is, so it says
 * what was refused and what to do instead.
 */
export class ActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}

/** Result of a check that may refuse, for UI that must explain before acting. */
export type Verdict = { ok: true } | { ok: false; reason: string };
