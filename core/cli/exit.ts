/** Exit codes shared by every command (documented in the README). */
export const EXIT = {
  /** Success: no errors (validate), reachable (trace), plan fits. */
  ok: 0,
  /** The command ran and found a problem: errors, blocked, does not fit, failed assertion. */
  problems: 1,
  /** The input could not be read or parsed, or the command line is wrong. */
  unreadable: 2,
} as const;
