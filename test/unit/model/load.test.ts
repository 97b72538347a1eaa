import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrateDocument, parseTopology, safeParseTopology, serializeTopology, TopologyLoadError } from '../../../core/model/index.js';

const minimal = { schema: 'topolab/1', name: 'm', nodes: [{ id: 'vpc-1', kind: 'vpc', cidr: '10.0.0.0/16' }], edges: [] };

function problems(text: string): { kind: string; issues: { path: string; message: string; line?: number; column?: number }[] } {
  const result = safeParseTopology(text);
  if (result.ok) throw new Error('expected a load error');
  return result.error;
}

describe('loading a topology file', () => {
  it('loads a minimal file and applies defaults', () => {
    const topology = parseTopology(JSON.stringify(minimal));
    expect(topology.provider).toBe('aws');
    expect(topology.layout).toEqual({});
    expect(topology.nodes[0]).toEqual({ id: 'vpc-1', kind: 'vpc', cidr: '10.0.0.0/16' });
  });

  it('gives line and column for invalid JSON', () => {
    const error = problems('{\n  "schema": "topolab/1",\n  "nodes": [,]\n}');
    expect(error.kind).toBe('json');
    expect(error.issues[0]).toMatchObject({ line: 3, column: 13 });
    expect(error.issues[0]?.message).toMatch(/^invalid JSON/);
  });

  it('reports a truncated file at its end', () => {
    const error = problems('{"schema": "topolab/1", "nodes": [');
    expect(error.kind).toBe('json');
    expect(error.issues[0]?.line).toBe(1);
  });

  it('refuses a file from a newer version, saying so', () => {
    const error = problems(JSON.stringify({ ...minimal, schema: 'topolab/7' }));
    expect(error.kind).toBe('version');
    expect(error.issues[0]?.message).toMatch(/newer Topolab \(schema topolab\/7\).*reads up to topolab\/1/);
  });

  it('refuses a file without a schema marker', () => {
    const { schema: _schema, ...rest } = minimal;
    expect(problems(JSON.stringify(rest)).issues[0]?.message).toMatch(/missing "schema"/);
  });

  it('collects every schema problem with its path and the node id', () => {
    const error = problems(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'a', kind: 'vpx' },
          { id: 'b', kind: 'subnet', cidr: 42, parent: 'nowhere' },
          { id: 'c', kind: 'server', cdir: '10.0.0.0/24' },
          { id: 'a', kind: 'client' },
        ],
        edges: [{ id: 'e1', from: 'c', to: 'ghost' }],
      }),
    );
    expect(error.kind).toBe('schema');
    const byPath = Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
    expect(byPath['nodes[0].kind (node "a")']).toMatch(/unknown node kind "vpx"; expected one of vpc, subnet/);
    expect(byPath['nodes[1].cidr (node "b")']).toMatch(/string/);
    expect(byPath['nodes[2] (node "c")']).toMatch(/unknown field "cdir"/);
  });

  it('checks references once the shape is right', () => {
    const error = problems(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'a', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'a', kind: 'client' },
          { id: 's', kind: 'subnet', cidr: '10.0.0.0/24', parent: 'nowhere' },
          { id: 'p', kind: 'peering', vpcs: ['a', 'zzz'] },
        ],
        edges: [{ id: 'e1', from: 's', to: 'ghost' }],
        layout: { unknown: { x: 0, y: 0 } },
      }),
    );
    const messages = error.issues.map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^nodes\[1\]\.id.*duplicate node id "a"/),
        expect.stringMatching(/^nodes\[2\]\.parent.*parent "nowhere" is not a node/),
        expect.stringMatching(/^nodes\[3\]\.vpcs\[1\].*"zzz"/),
        expect.stringMatching(/^edges\[0\]\.to: edge target "ghost"/),
        expect.stringMatching(/^layout\.unknown: layout entry/),
      ]),
    );
  });

  it('loads security groups and network ACLs exactly as the file format writes them', () => {
    const file = {
      schema: 'topolab/1',
      nodes: [
        { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
        { id: 'app-a', kind: 'subnet', parent: 'vpc', cidr: '10.0.1.0/24' },
        { id: 'sg-lb', kind: 'security-group', parent: 'vpc', name: 'lb', inbound: [], outbound: [] },
        { id: 'sg-db', kind: 'security-group', parent: 'vpc', name: 'db', default: true },
        {
          id: 'sg-web',
          kind: 'security-group',
          parent: 'vpc',
          name: 'web',
          inbound: [{ protocol: 'tcp', ports: '8080', source: 'sg-lb' }],
          outbound: [
            { protocol: 'tcp', ports: '5432', destination: 'sg-db' },
            { protocol: 'all', destination: '0.0.0.0/0', description: 'anywhere' },
          ],
        },
        {
          id: 'acl-app',
          kind: 'network-acl',
          parent: 'vpc',
          subnets: ['app-a'],
          inbound: [{ rule: 100, action: 'allow', protocol: 'tcp', ports: '8080', cidr: '10.0.101.0/24' }],
          outbound: [{ rule: 100, action: 'allow', protocol: 'tcp', ports: '1024-65535', cidr: '10.0.101.0/24' }],
        },
        { id: 'web', kind: 'server', parent: 'app-a', securityGroups: ['sg-web'] },
        { id: 'asg', kind: 'autoscaling-group', parent: 'app-a', min: 1, max: 2, securityGroups: ['sg-web', 'sg-db'] },
      ],
    };
    const topology = parseTopology(JSON.stringify(file));
    expect(topology.nodes[4]).toEqual(file.nodes[4]);
    expect(topology.nodes[5]).toEqual(file.nodes[5]);
    // Defaults fill the rule lists a group leaves out.
    expect(topology.nodes[3]).toMatchObject({ inbound: [], outbound: [] });
    // An unknown group id is the validator's to explain (sg-reference-invalid), not a load error.
    expect(safeParseTopology(JSON.stringify({ ...file, nodes: [...file.nodes.slice(0, 6), { id: 'web', kind: 'server', parent: 'app-a', securityGroups: ['sg-nope'] }] })).ok).toBe(true);
    // The shape is strict: an empty list, an unknown protocol or field, a missing peer are refused with their paths.
    const bad = problems(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'vpc', kind: 'vpc', cidr: '10.0.0.0/16' },
          { id: 'sg', kind: 'security-group', parent: 'vpc', inbound: [{ protocol: 'sctp', source: '0.0.0.0/0' }], outbound: [{ protocol: 'all' }] },
          { id: 'acl', kind: 'network-acl', parent: 'vpc', inbound: [{ rule: 1.5, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0' }], outbound: [{ rule: 1, action: 'permit', protocol: 'all', cidr: '0.0.0.0/0' }] },
          { id: 'web', kind: 'client', parent: 'vpc', securityGroups: [] },
        ],
      }),
    );
    expect(bad.issues.map((i) => i.path.replace(/ \(node .*\)$/, ''))).toEqual(
      expect.arrayContaining(['nodes[1].inbound[0].protocol', 'nodes[1].outbound[0].destination', 'nodes[2].inbound[0].rule', 'nodes[2].outbound[0].action', 'nodes[3].securityGroups']),
    );
  });

  it('refuses a parent cycle instead of looping', () => {
    const error = problems(
      JSON.stringify({
        schema: 'topolab/1',
        nodes: [
          { id: 'a', kind: 'subnet', cidr: '10.0.0.0/24', parent: 'b' },
          { id: 'b', kind: 'vpc', cidr: '10.0.0.0/16', parent: 'a' },
        ],
      }),
    );
    expect(error.issues.some((i) => /loops back/.test(i.message))).toBe(true);
  });

  it('never throws from the safe variant, whatever the input', () => {
    for (const text of ['', 'null', '[]', '"x"', '42', '{"schema": 1}', '{"schema":"topolab/1","nodes":{}}', '\u0000']) {
      expect(safeParseTopology(text).ok).toBe(false);
    }
  });

  it.each([
    ['null', 'null'],
    ['[]', 'an array'],
    ['"x"', 'a string'],
    ['42', 'a number'],
  ])('names what %s is instead of an object', (text, what) => {
    expect(problems(text).issues).toEqual([{ path: '', message: `expected an object, got ${what}` }]);
  });

  it('throws TopologyLoadError from the throwing variant with every issue in the message', () => {
    expect(() => parseTopology('{"schema":"topolab/1","nodes":[{"id":"x","kind":"server","port":70000}]}')).toThrow(TopologyLoadError);
    expect(() => parseTopology('{"schema":"topolab/1","nodes":[{"id":"x","kind":"server","port":70000}]}')).toThrow(/nodes\[0\]\.port/);
  });

  it('round-trips through serialisation byte for byte', () => {
    const text = serializeTopology(parseTopology(JSON.stringify(minimal)));
    expect(serializeTopology(parseTopology(text))).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('migrations', () => {
  it('has one step: topolab/0 -> topolab/1 (test/unit/model/migrations.test.ts)', () => {
    expect(Object.keys(MIGRATIONS)).toEqual(['0']);
  });

  it('passes a current document through unchanged', () => {
    const outcome = migrateDocument({ ...minimal });
    expect(outcome).toMatchObject({ ok: true, from: 1 });
  });

  it('upgrades version 0 and refuses malformed markers', () => {
    expect(migrateDocument({ schema: 'topolab/0' })).toMatchObject({ ok: true, from: 0, document: { schema: 'topolab/1' } });
    expect(migrateDocument({ schema: 'topolab/x' }).ok).toBe(false);
    expect(migrateDocument({ schema: 'other/1' }).ok).toBe(false);
  });
});

describe('JSON error positions', () => {
  const cases: [string, number, number, RegExp][] = [
    ['{"a": 1,}', 1, 9, /trailing comma/],
    ['{"a" 1}', 1, 6, /":"/],
    ['[1, 2', 1, 6, /end of input/],
    ["{'a': 1}", 1, 2, /double quotes/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ['{}\n{}', 2, 1, /after the JSON value/],
    ['{"a": "x\ny"}', 1, 9, /control character/],
  ];
  it.each(cases)('%j fails at line %i column %i', (text, line, column, reason) => {
    const error = problems(text);
    expect(error.issues[0]).toMatchObject({ line, column });
    expect(error.issues[0]?.message).toMatch(reason);
  });
});
