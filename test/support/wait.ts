/**
 * Polls `check` until it holds, every `intervalMs`; fails with `what` after `timeoutMs`,
 * so a bug fails the test instead of hanging it. The one condition wait of the Vitest
 * suites (`expect.poll` does the same where a value is compared).
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
