// One contract suite, run against every transport (in-process, HTTP + WebSocket, IPC):
// the same inputs give the same outputs and the same error codes everywhere.
import { lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileEntry, MethodName } from '../../../core/api/contract/index.js';
import { createService } from '../../../core/api/service.js';
import { TRANSPORTS, rejectionOf, removeFolder, tempFolder, type OpenTransport } from './harness.js';
import { waitUntil } from '../../support/wait.js';

const FIXTURE = new URL('../../fixtures/diagnostics/base.topolab.json', import.meta.url);

/** Expected outputs, computed once on a plain in-process service: every transport must match them. */
const reference = createService();

describe.each(TRANSPORTS)('the contract over $name', (transport) => {
  let base: string;
  let root: string;
  let open: OpenTransport;
  let designText: string;

  beforeAll(async () => {
    base = await tempFolder(`topolab-contract-${transport.name}-`);
    root = join(base, 'designs');
    await mkdir(join(root, 'sub'), { recursive: true });
    designText = await readFile(FIXTURE, 'utf8');
    await writeFile(join(root, 'base.topolab.json'), designText);
    await writeFile(join(base, 'secret.topolab.json'), '{"secret":true}');
    await symlink(join(base, 'secret.topolab.json'), join(root, 'escape.topolab.json'));
    await writeFile(join(root, 'target.topolab.json'), 't0');
    await symlink(join(root, 'target.topolab.json'), join(root, 'alias.topolab.json'));
    open = await transport.open({ filesRoot: root });
  });
  afterAll(async () => {
    await open.close();
    await removeFolder(base);
  });

  describe('engine methods', () => {
    it('cidr.info gives the in-process answer', async () => {
      const expected = await reference.call('cidr.info', { cidr: '10.0.0.0/16', provider: 'aws' });
      expect(await open.client.call('cidr.info', { cidr: '10.0.0.0/16', provider: 'aws' })).toEqual(expected);
    });

    it('a strict-parse problem is a result, not an error', async () => {
      const result = await open.client.call('cidr.info', { cidr: '10.0.1.5/24' });
      expect(result).toEqual(await reference.call('cidr.info', { cidr: '10.0.1.5/24' }));
      expect(result.ok).toBe(false);
    });

    it('topology.parse and validate of a real design match in-process', async () => {
      const parsed = await open.client.call('topology.parse', { text: designText });
      expect(parsed).toEqual(await reference.call('topology.parse', { text: designText }));
      if (!parsed.ok) throw new Error('the fixture must parse');
      const diagnostics = await open.client.call('validate', { topology: parsed.topology });
      expect(diagnostics).toEqual(await reference.call('validate', { topology: parsed.topology }));
    });

    it('cidr.plan allocates the same subnets', async () => {
      const input = { vpcCidr: '10.1.0.0/16', requests: [{ prefix: 24 }, { hosts: 500 }, { prefix: 26, zone: 'b' }] };
      expect(await open.client.call('cidr.plan', input)).toEqual(await reference.call('cidr.plan', input));
    });
  });

  describe('import', () => {
    const awsFolder = new URL('../../fixtures/import/aws/', import.meta.url);
    it('imports AWS describe output as the in-process design, with what it ignored', async () => {
      const names = ['describe-vpcs.json', 'describe-subnets.json', 'describe-route-tables.json', 'describe-instances.json'];
      const files = await Promise.all(names.map(async (name) => ({ name, text: await readFile(new URL(name, awsFolder), 'utf8') })));
      const result = await open.client.call('import', { source: 'aws', files });
      expect(result).toEqual(await reference.call('import', { source: 'aws', files }));
      expect(result.nodes).toBe(result.topology.nodes.length);
      expect(result.ignored.map((i) => i.id)).toContain('i-0old0000000000001');
    });

    it('a file it cannot read is bad-input naming the file and JSON path', async () => {
      const error = await rejectionOf(open.client.call('import', { source: 'aws', files: [{ name: 'vpcs.json', text: '{"Vpcs":[{"VpcId":"vpc-1"}]}' }] }));
      expect(error.code).toBe('bad-input');
      expect(error.message).toMatch(/^vpcs\.json at Vpcs\[0\]\.CidrBlock: expected string/);
      const two = await rejectionOf(open.client.call('import', { source: 'terraform', files: [{ name: 'a', text: '{}' }, { name: 'b', text: '{}' }] }));
      expect(two.code).toBe('bad-input');
    });
  });

  describe('errors', () => {
    it('a wrong type is bad-input with the JSON path of the problem', async () => {
      const error = await rejectionOf(open.client.call('cidr.info', { cidr: 5 } as never));
      expect(error.code).toBe('bad-input');
      expect(error.issues).toEqual([expect.objectContaining({ path: 'cidr' })]);
    });

    it('an unknown key is bad-input (inputs are strict)', async () => {
      const error = await rejectionOf(open.client.call('cidr.info', { cidr: '10.0.0.0/8', extra: 1 } as never));
      expect(error.code).toBe('bad-input');
      expect(error.message).toMatch(/extra/);
    });

    it('a missing input is bad-input', async () => {
      const error = await rejectionOf(open.client.call('files.list', undefined as never));
      expect(error.code).toBe('bad-input');
    });

    it('an unknown method is unknown-method', async () => {
      const error = await rejectionOf(open.client.call('no.such.method' as MethodName, {} as never));
      expect(error.code).toBe('unknown-method');
      expect(error.message).toContain('no.such.method');
    });

    it('errors are ApiError instances with a message on every transport', async () => {
      const error = await rejectionOf(open.client.call('files.read', { name: 'missing.topolab.json' }));
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name: 'ApiError', code: 'not-found' });
    });
  });

  describe('files', () => {
    it('lists the designs of the folder with size and mtime', async () => {
      const { files } = await open.client.call('files.list', {});
      expect(files.map((f) => f.name)).toContain('base.topolab.json');
      const entry = files.find((f) => f.name === 'base.topolab.json');
      expect(entry?.size).toBe(Buffer.byteLength(designText));
      expect(files.map((f) => f.name)).not.toContain('escape.topolab.json');
    });

    it('writes atomically and reads back the same text, in a subfolder too', async () => {
      const text = '{ "schema": "topolab/1", "name": "ünïcode" }\n';
      const written = await open.client.call('files.write', { name: 'sub/new.topolab.json', text });
      expect(written).toMatchObject({ name: 'sub/new.topolab.json', size: Buffer.byteLength(text) });
      const read = await open.client.call('files.read', { name: 'sub/new.topolab.json' });
      expect(read).toEqual({ ...written, text });
      expect(await readFile(join(root, 'sub', 'new.topolab.json'), 'utf8')).toBe(text);
    });

    it('detects a change on disk since the file was read (conflict)', async () => {
      const first = await open.client.call('files.write', { name: 'c.topolab.json', text: 'one' });
      const second = await open.client.call('files.write', { name: 'c.topolab.json', text: 'two', expectedMtime: first.mtime });
      // Another writer changes the file; a save based on the old mtime must not clobber it.
      await writeFile(join(root, 'c.topolab.json'), 'changed elsewhere');
      const { mtime: current } = await open.client.call('files.read', { name: 'c.topolab.json' });
      if (current === second.mtime) throw new Error('the file system did not move the mtime; cannot test conflicts here');
      const error = await rejectionOf(open.client.call('files.write', { name: 'c.topolab.json', text: 'three', expectedMtime: second.mtime }));
      expect(error.code).toBe('conflict');
      expect(await readFile(join(root, 'c.topolab.json'), 'utf8')).toBe('changed elsewhere');
    });

    it('saves through a link inside the folder into the linked file, keeping the link', async () => {
      await open.client.call('files.write', { name: 'alias.topolab.json', text: 'via the link' });
      expect(await readFile(join(root, 'target.topolab.json'), 'utf8')).toBe('via the link');
      expect((await lstat(join(root, 'alias.topolab.json'))).isSymbolicLink()).toBe(true);
      expect((await open.client.call('files.read', { name: 'alias.topolab.json' })).text).toBe('via the link');
    });

    it('refuses to create over an existing file when expectedMtime is null', async () => {
      const error = await rejectionOf(open.client.call('files.write', { name: 'base.topolab.json', text: 'x', expectedMtime: null }));
      expect(error.code).toBe('conflict');
      await expect(open.client.call('files.write', { name: 'brand-new.topolab.json', text: 'x', expectedMtime: null })).resolves.toMatchObject({ size: 1 });
    });

    const forbidden: [string, string][] = [
      ['a parent path', '../secret.topolab.json'],
      ['a deeper parent path', 'sub/../../secret.topolab.json'],
      ['an absolute path', '/etc/passwd'],
      ['a symlink escaping the folder', 'escape.topolab.json'],
      ['a file that is not a design', 'notes.txt'],
    ];
    it.each(forbidden)('files.read of %s is forbidden', async (_what, name) => {
      const error = await rejectionOf(open.client.call('files.read', { name }));
      expect(error.code).toBe('forbidden');
    });
    it.each(forbidden)('files.write of %s is forbidden and writes nothing', async (_what, name) => {
      const error = await rejectionOf(open.client.call('files.write', { name, text: 'pwned' }));
      expect(error.code).toBe('forbidden');
      expect(await readFile(join(base, 'secret.topolab.json'), 'utf8')).toBe('{"secret":true}');
    });

    it('reading a missing design is not-found', async () => {
      expect((await rejectionOf(open.client.call('files.read', { name: 'nope.topolab.json' }))).code).toBe('not-found');
      expect((await rejectionOf(open.client.call('files.write', { name: 'no-folder/x.topolab.json', text: 'x' }))).code).toBe('not-found');
    });

    it('backs up unsaved work, lists it, restores it and discards it', async () => {
      const text = '{"unsaved": true}\nsecond line';
      const saved = await open.client.call('files.backup', { key: 'untitled-1', text });
      expect(saved).toMatchObject({ key: 'untitled-1', length: text.length });
      await open.client.call('files.backup', { key: 'base.topolab.json', text: 'edited', name: 'base.topolab.json' });
      const { backups } = await open.client.call('files.backups', {});
      expect(backups.map((b) => b.key).sort()).toEqual(['base.topolab.json', 'untitled-1']);
      expect(await open.client.call('files.restore', { key: 'untitled-1' })).toMatchObject({ key: 'untitled-1', text });
      expect(await open.client.call('files.discardBackup', { key: 'untitled-1' })).toEqual({ discarded: true });
      expect((await rejectionOf(open.client.call('files.restore', { key: 'untitled-1' }))).code).toBe('not-found');
      // Backups never show up as designs.
      expect((await open.client.call('files.list', {})).files.map((f) => f.name).some((n) => n.includes('backup'))).toBe(false);
    });
  });

  describe('events', () => {
    it('a subscriber sees files.changed for a save, and stops seeing it after unsubscribing', async () => {
      const seen: FileEntry[] = [];
      const alsoSeen: FileEntry[] = [];
      const unsubscribe = open.client.subscribe('files.changed', (entry) => seen.push(entry));
      const unsubscribeOther = open.client.subscribe('files.changed', (entry) => alsoSeen.push(entry));
      const written = await open.client.call('files.write', { name: 'evented.topolab.json', text: 'v1' });
      await waitUntil(() => seen.length === 1 && alsoSeen.length === 1, 'the files.changed event');
      expect(seen[0]).toEqual(written);

      unsubscribe();
      await open.client.call('files.write', { name: 'evented.topolab.json', text: 'v2' });
      await waitUntil(() => alsoSeen.length === 2, 'the second event on the remaining subscriber');
      expect(seen).toHaveLength(1);
      unsubscribeOther();
    });
  });
});

describe('a service without a folder', () => {
  it.each(TRANSPORTS)('files.* fail with a clear message over $name', async (transport) => {
    const open = await transport.open({});
    try {
      const error = await rejectionOf(open.client.call('files.list', {}));
      expect(error.code).toBe('failed');
      expect(error.message).toMatch(/no folder/);
    } finally {
      await open.close();
    }
  });
});
