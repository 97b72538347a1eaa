import { lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where running kernel labs are recorded: one folder per lab under
 * `$TMPDIR/topolab-<uid>/` (mode 0700), holding `lab.json`, the namespace scripts and the
 * Unix sockets of its entry points. `topolab exec` finds a running lab here, and the next
 * `up` removes what a killed lab left: only labs of this user whose own process is gone.
 */

/** What one running lab records about itself. */
export interface LabRecord {
  labId: string;
  /** The process that runs the lab (the CLI, `serve`, the desktop's lab process) and its start time. */
  pid: number;
  pidStart: string;
  /** `unshare` and the lab's first process (pid 1 of its PID namespace, which holds the namespaces). */
  unsharePid: number;
  holderPid: number;
  holderStart: string;
  /** The design file, when the lab was started from one (for `topolab exec FILE`). */
  file?: string;
  /** Node id -> namespace name. */
  namespaces: Record<string, string>;
  /** The design's hash (its nodes and edges), so `topolab exec FILE` finds the lab of FILE. */
  design?: string;
  createdAt: string;
}

/** The folder of this user's labs; created 0700, refused if it is not a real folder owned by this user. */
export function labsRoot(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const root = path.join(os.tmpdir(), `topolab-${uid}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const stat: Stats = lstatSync(root);
  if (!stat.isDirectory() || stat.isSymbolicLink() || stat.uid !== uid) throw new Error(`${root} is not a folder owned by this user: remove it and try again`);
  return root;
}

/** A fresh folder for one lab. */
export function createLabDir(labId: string): string {
  const dir = path.join(labsRoot(), labId);
  mkdirSync(path.join(dir, 'ns'), { recursive: true, mode: 0o700 });
  mkdirSync(path.join(dir, 'sockets'), { recursive: true, mode: 0o700 });
  return dir;
}

export function writeRecord(dir: string, record: LabRecord): void {
  writeFileSync(path.join(dir, 'lab.json'), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Every lab recorded by this user, with its folder; unreadable records are skipped. */
export function listRecords(): { dir: string; record?: LabRecord }[] {
  const root = labsRoot();
  return readdirSync(root).map((name) => {
    const dir = path.join(root, name);
    try {
      return { dir, record: JSON.parse(readFileSync(path.join(dir, 'lab.json'), 'utf8')) as LabRecord };
    } catch {
      return { dir };
    }
  });
}

/** The start time of a process (field 22 of /proc/PID/stat), or undefined when it is gone. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether a recorded process still runs (same pid and start time, so a reused pid does not count). */
export function isAlive(pid: number, start: string): boolean {
  return processStart(pid) === start;
}

/** Whether the lab's own process still runs. */
export function isLive(record: LabRecord): boolean {
  return isAlive(record.pid, record.pidStart);
}

/**
 * Removes labs whose process is gone (killed, crashed): kills their holder (which ends
 * every process and namespace of the lab with it) and deletes their folder. Labs of live
 * processes, and anything not recorded by this user, are left alone. Returns the lab ids removed.
 */
export function cleanLeftovers(): string[] {
  const removed: string[] = [];
  for (const { dir, record } of listRecords()) {
    if (record && isLive(record)) continue;
    if (!record) {
      // A folder without a record is a lab that died while starting (or not ours to judge): only old ones go.
      try {
        if (Date.now() - lstatSync(dir).mtimeMs < 60_000) continue;
      } catch {
        continue;
      }
    }
    if (record) {
      for (const [pid, start] of [[record.holderPid, record.holderStart]] as const) {
        if (isAlive(pid, start)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }
      }
      removed.push(record.labId);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return removed;
}
