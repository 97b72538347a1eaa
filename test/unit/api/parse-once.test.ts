// The design is parsed once on its way from a file to the lab: the model's parser seals its
// result, and the service's input check takes that object as it is instead of copying it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, parseMethodInput } from '../../../core/api/contract/index.js';
import { createService } from '../../../core/api/service.js';
import { startLab } from '../../../core/cli/commands/lab-shared.js';
import { readTopologyFile } from '../../../core/cli/io.js';
import { isParsedTopology, parseTopology, type ParsedTopology } from '../../../core/model/index.js';

let dir: string;
let sealed: ParsedTopology;
const example = new URL('../../../examples/nginx-two-backends.topolab.json', import.meta.url);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topolab-parse-once-'));
  const loaded = await readTopologyFile(example.pathname);
  if (!loaded.ok) throw new Error(loaded.message);
  sealed = loaded.topology;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parse once', () => {
  it('a file read by the CLI is sealed: registered, and frozen all the way down', () => {
    expect(isParsedTopology(sealed)).toBe(true);
    expect(Object.isFrozen(sealed.nodes[0])).toBe(true);
    expect(() => (sealed.nodes as unknown[]).push({})).toThrow(TypeError);
    // A copy, or the parser's output that was never sealed, is an ordinary topology.
    expect(isParsedTopology(structuredClone(sealed))).toBe(false);
  });

  it('the service takes a sealed topology as it is, and still checks the rest of the input', () => {
    for (const method of ['lab.start', 'validate', 'trace', 'export'] as const) {
      const input = method === 'trace' ? { topology: sealed, from: 'a', to: 'b' } : method === 'export' ? { topology: sealed, format: 'nginx' } : { topology: sealed };
      expect((parseMethodInput(method, methods[method].input, input) as { topology: unknown }).topology).toBe(sealed);
    }
    const copy = structuredClone(sealed);
    expect(parseMethodInput('lab.start', methods['lab.start'].input, { topology: copy }).topology).not.toBe(copy);
    expect(() => parseMethodInput('lab.start', methods['lab.start'].input, { topology: sealed, ports: { web: 0 } })).toThrow(/ports\.web/);
    expect(() => parseMethodInput('lab.start', methods['lab.start'].input, { topology: sealed, extra: true })).toThrow(/extra/);
  });

  it("the lab's user-command check runs once, in lab.start; the CLI words the refusal with its own flag", async () => {
    const topology = parseTopology(JSON.stringify({ schema: 'topolab/1', nodes: [{ id: 'run', kind: 'server', ip: '10.0.0.5', command: 'echo hi' }] }));
    const path = join(dir, 'command.topolab.json');
    await writeFile(path, JSON.stringify(topology));
    const loaded = await readTopologyFile(path);
    if (!loaded.ok) throw new Error(loaded.message);
    const service = createService();
    try {
      await expect(startLab(service, loaded.topology)).rejects.toThrow('the lab did not start: this design runs a command on this machine:\n  run: echo hi\nReview it, then pass --allow-commands to run them.');
      expect((await service.call('lab.status', {})).state).toBe('idle');
    } finally {
      await service.close();
    }
  });
});
