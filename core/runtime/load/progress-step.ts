/**
 * How long until the next progress report of a load run: every 50 ms in its first two
 * seconds, so a short run (a few hundred requests, often well under a second) still plots
 * several points, then every 250 ms, so a long run does not flood the charts. A caller's
 * fixed interval wins. Pure.
 */
export function progressStepMs(elapsedMs: number, fixedMs?: number): number {
  if (fixedMs !== undefined) return fixedMs;
  return elapsedMs < 2000 ? 50 : 250;
}
