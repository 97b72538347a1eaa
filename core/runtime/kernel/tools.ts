import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Where the kernel lab finds its programs. `ip`, `tc` and `nft` live in /usr/sbin, which a
 * desktop user's PATH often leaves out (Debian), so the system folders are searched after
 * PATH. Scripts run inside the lab get the same search path.
 */
const SYSTEM_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

const found = new Map<string, string | undefined>();

/** The search path for the lab's scripts: PATH, then the system folders. */
export function labPath(): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const dir of SYSTEM_DIRS) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.join(path.delimiter);
}

/** The absolute path of a program, or undefined when it is nowhere on the lab's search path. */
export function findTool(name: string): string | undefined {
  if (found.has(name)) return found.get(name);
  let hit: string | undefined;
  for (const dir of labPath().split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      hit = candidate;
      break;
    } catch {
      // not here
    }
  }
  found.set(name, hit);
  return hit;
}

/** The absolute path of a program the lab needs (the support check has made sure it exists). */
export function tool(name: string): string {
  return findTool(name) ?? name;
}
