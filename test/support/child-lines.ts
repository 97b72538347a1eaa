import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts a TypeScript script in a Node child (through tsx) and resolves with the child once
 * a line of its stdout matches `until`; rejects, with its stderr, if it exits first.
 */
export function startScriptUntil(script: string, args: readonly string[], until: (line: string) => boolean): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const hit = lines.find(until);
      if (hit !== undefined) resolve({ child, line: hit });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before the expected line: ${errors}`)));
  });
}

/** SIGKILLs a child and waits until it is gone. */
export function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
