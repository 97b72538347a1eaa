import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EXIT } from './exit.js';
import { CliFailure } from './streams.js';

/**
 * Reads one import input as UTF-8 text, refusing it past `maxBytes` before holding more
 * than that in memory: checked on the size first, then while reading (a pipe or a device
 * has no size). Every failure names the file.
 */
export async function readBoundedText(path: string, maxBytes: number): Promise<string> {
  const limit = `${Math.round(maxBytes / 1024 / 1024)} MiB`;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliFailure(`${path}: is a folder, not a file`, EXIT.unreadable);
    if (info.size > maxBytes) throw new CliFailure(`${path}: ${(info.size / 1024 / 1024).toFixed(0)} MiB is more than the ${limit} an import reads; split the describe output (--filters) or the state`, EXIT.unreadable);
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    throw new CliFailure(`${path}: ${reason(error)}`, EXIT.unreadable);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw new CliFailure(`${path}: more than the ${limit} an import reads`, EXIT.unreadable);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof CliFailure) throw error;
    throw new CliFailure(`${path}: ${reason(error)}`, EXIT.unreadable);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total));
  } catch {
    throw new CliFailure(`${path}: not UTF-8 text (the AWS CLI and Terraform print UTF-8 JSON)`, EXIT.unreadable);
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
}

/** Writes a file through a temp file and a rename, so a reader never sees half a design. */
export async function writeFileAtomically(target: string, content: string): Promise<void> {
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, content, { encoding: 'utf8', mode: 0o644 });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new CliFailure(`cannot write ${target}: ${reason(error)}`, EXIT.unreadable);
  }
}
