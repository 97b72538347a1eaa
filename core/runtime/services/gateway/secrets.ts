import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { z } from 'zod';
import { secretPathProblem } from '../../../model/gateway-problems.js';
import type { GatewayConfig } from '../../../model/kinds/gateway-fields.js';

/** One secret file as read: its name, its path for messages, its text. */
export interface SecretFile {
  name: string;
  path: string;
  text: string;
}

/** Largest secret file read, bytes (a JWKS of many keys fits). */
const MAX_SECRET_BYTES = 1024 * 1024;

/**
 * Reads the secret files a gateway declares, relative to the design's folder, at lab start
 * (once: a changed file needs a restart, as nginx needs a reload). Throws an Error naming
 * the secret, the path and what is wrong, so the lab refuses to start rather than answering
 * 500 per request.
 */
export function readSecretFiles(config: GatewayConfig, folder: string | undefined): Map<string, SecretFile> {
  const out = new Map<string, SecretFile>();
  for (const [name, relative] of Object.entries(config.secrets ?? {})) {
    const problem = secretPathProblem(relative);
    if (problem !== undefined) throw new Error(`gateway secret "${name}": ${problem}`);
    if (folder === undefined) throw new Error(`gateway secret "${name}" (${relative}): the lab was started without the design's folder, so secret files cannot be found; start it from a saved design`);
    const root = resolve(folder);
    const path = resolve(root, relative);
    if (!path.startsWith(root + sep)) throw new Error(`gateway secret "${name}": "${relative}" leaves the design's folder`);
    let buffer: Buffer;
    try {
      buffer = readFileSync(path);
    } catch (error) {
      throw new Error(`gateway secret "${name}": cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
    }
    if (buffer.length > MAX_SECRET_BYTES) throw new Error(`gateway secret "${name}": ${path} is larger than 1 MiB`);
    out.set(name, { name, path, text: buffer.toString('utf8') });
  }
  return out;
}

/** The secret a route names (validation makes sure it is declared). */
export function secretNamed(secrets: ReadonlyMap<string, SecretFile>, name: string): SecretFile {
  const secret = secrets.get(name);
  if (secret === undefined) throw new Error(`gateway secret "${name}" is not declared in gateway.secrets`);
  return secret;
}

/** Parses a JSON secret file with a zod schema; the Error names the file and the JSON path. */
export function parseSecretJson<T>(secret: SecretFile, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(secret.text);
  } catch (error) {
    // Never quote the parser's message: it may echo the secret's own text.
    throw new Error(`gateway secret "${secret.name}" (${secret.path}) is not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') ?? '';
    throw new Error(`gateway secret "${secret.name}" (${secret.path}) is not ${what}: at $${at}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
