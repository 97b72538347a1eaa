import { safeParseTopology } from '../../core/model/index.js';
import { apiClient, call, errorMessage } from '../lib/api.js';
import { backupKey, localBackups } from './backup.js';

/** Unsaved work found at start-up, offered back to the user. */
export interface RecoveryOffer {
  key: string;
  name?: string;
  savedAt: number;
  text: string;
}

/**
 * How long opening a design waits for the service's backups before it opens without them
 * (ms). A local service answers in milliseconds; one that has not answered by then may never.
 */
export const RECOVERY_CHECK_MS = 5000;

/** What a look for unsaved work found. */
export interface RecoveryCheck {
  offer: RecoveryOffer | null;
  /**
   * Why the service's backups could not be looked at (it failed, or did not answer within
   * the time allowed), else null. The offer then comes from this browser's backups alone.
   */
  problem: string | null;
}

/**
 * The newest unsaved work for the file `name` (only if newer than `mtime`), or at a fresh
 * start (`name` null) the work of a design that was never saved: from this browser's
 * backups and the service's (`files.backups`, `files.restore`), the service asked for at
 * most `timeoutMs` so a service that hangs cannot hold the app on its loading screen.
 * Never rejects: what went wrong with the service is the `problem`.
 */
export async function checkRecovery(name: string | null, mtime: number, timeoutMs: number = RECOVERY_CHECK_MS): Promise<RecoveryCheck> {
  const candidates: RecoveryOffer[] = localBackups().map((b) => ({ key: b.key, savedAt: b.savedAt, text: b.text, ...(b.name ? { name: b.name } : {}) }));
  let problem: string | null = null;
  if (apiClient()) {
    const found: RecoveryOffer[] = [];
    try {
      await withinTime(serviceBackups(candidates, found), timeoutMs, `the service did not answer within ${timeoutMs / 1000} s`);
    } catch (error) {
      problem = errorMessage(error);
    }
    // What the service gave before it failed still counts; nothing it sends later does.
    candidates.push(...found);
  }
  const relevant = candidates.filter((c) => (name ? c.key === name && c.savedAt > mtime : c.key === backupKey(null))).sort((a, b) => b.savedAt - a.savedAt);
  const offer = relevant.find((c) => safeParseTopology(c.text).ok);
  return { offer: offer ?? null, problem };
}

/** The service's backups that are newer than this browser's copy of the same key, into `found`. */
async function serviceBackups(local: readonly RecoveryOffer[], found: RecoveryOffer[]): Promise<void> {
  const { backups } = await call('files.backups', {});
  for (const entry of backups) {
    if (local.some((c) => c.key === entry.key && c.savedAt >= entry.savedAt)) continue;
    const restored = await call('files.restore', { key: entry.key });
    found.push({ key: restored.key, savedAt: restored.savedAt, text: restored.text, ...(restored.name ? { name: restored.name } : {}) });
  }
}

/** `work`, or a rejection with `message` once `ms` have passed without it settling. */
function withinTime<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
