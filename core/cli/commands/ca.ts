import { promises as fsPromises } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../exit.js';
import { CliFailure, writeJson, type CliStreams } from '../streams.js';

/** Options of `topolab ca`. */
export interface CaOptions {
  print?: boolean;
  json?: boolean;
}

/**
 * `topolab ca [PATH] --print`: the project's local certificate authority (under the design
 * folder's `.topolab/`, PATH being the design file or its folder, default the working
 * directory), created if it does not exist yet: prints its certificate's path and how to
 * trust it (Debian/Ubuntu, macOS, Firefox, curl, Node). `--json` prints
 * `{"certificate": PATH, "created": BOOLEAN}`. Exit 2 when the folder cannot be used.
 */
export async function runCa(path: string | undefined, options: CaOptions, streams: CliStreams): Promise<void> {
  // Node's own modules are imported statically: the one-file CLI runs in vm.Script, where an
  // import() of anything but our own (bundled) modules cannot load. `fs.promises` is read
  // here, on use: loading node:fs/promises at start would cost every command.
  const { ensureAuthority } = await import('../../runtime/tls/authority.js');
  const target = resolve(path ?? '.');
  let folder: string;
  try {
    folder = (await fsPromises.stat(target)).isDirectory() ? target : dirname(target);
  } catch {
    throw new CliFailure(`${target} does not exist: give a design file or its folder`, EXIT.unreadable);
  }
  let authority;
  try {
    authority = await ensureAuthority(folder);
  } catch (error) {
    throw new CliFailure(`cannot create the certificate authority under ${folder}/.topolab: ${(error as Error).message}`, EXIT.unreadable);
  }
  if (options.json) writeJson(streams, { certificate: authority.certPath, created: authority.created });
  else if (options.print) streams.out(trustInstructions(authority.certPath, authority.created));
  else streams.out(`${authority.certPath}\n`);
  streams.exitCode = EXIT.ok;
}

/** The certificate's path and, per system and client, how to trust it. */
export function trustInstructions(certPath: string, created: boolean): string {
  const q = shellQuote(certPath);
  return `${[
    `${created ? 'Created' : 'Using'} the project's certificate authority:`,
    `  ${certPath}`,
    '',
    'Its private key (topolab-ca.key, mode 0600) stays beside it and out of git (.topolab/.gitignore).',
    'Trust it only on machines you use to try this design; anyone with the key can issue certificates.',
    '',
    'Debian / Ubuntu (system-wide):',
    `  sudo cp ${q} /usr/local/share/ca-certificates/topolab-ca.crt && sudo update-ca-certificates`,
    'macOS (system keychain):',
    `  sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${q}`,
    'Firefox (its own store): Settings > Privacy & Security > Certificates > View Certificates >',
    '  Authorities > Import, pick the file, tick "Trust this CA to identify websites".',
    'curl, for one request:',
    `  curl --cacert ${q} https://HOST/`,
    'Node.js, for one process:',
    `  NODE_EXTRA_CA_CERTS=${q} node app.js`,
    '',
    "topolab load --https and the traffic panel trust it by themselves, for the lab's own nodes only.",
  ].join('\n')}\n`;
}

/** A path as one shell word. */
function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Registers `ca`. */
export function registerCa(program: Command, streams: CliStreams): void {
  program
    .command('ca')
    .description("the project's local certificate authority (.topolab/ beside the design), created on first use")
    .argument('[path]', 'the design file or its folder (default: the working directory)')
    .option('--print', 'print the CA certificate path and how to trust it')
    .option('--json', 'print {"certificate": PATH, "created": BOOLEAN}')
    .action((path: string | undefined, options: CaOptions) => runCa(path, options, streams));
}
