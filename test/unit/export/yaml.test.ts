import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml, yamlScalar, type YamlValue } from '../../../core/export/yaml.js';

const STRINGS = ['plain', 'app.kubernetes.io/name', '80', '1e3', '0x1F', 'true', 'No', 'null', '~', '', ' lead', 'trail ', 'a: b', '- x', '#x', '--port', '"q"', "'s'", 'line\nbreak', 'tab\t', '\u0000', '${x}', '*.example.com', '&anchor', '!tag', '? k', '@at', '`b`', '{x}', '[y]', 'é ü', '😀', '---', '...', '/etc/nginx/nginx.conf', 'a #b', 'traefik/whoami:v1.10', 'key:', 'a:b', '-1', '-x', '--1', 'x=y', 'a: ', '-.inf', '.5', 'on:', '---x', '--', '-', 'a\nb\n', 'x\n\ny\n', '  lead\nz\n', 'end\n\n', 'tab\tin\nline\n', 'trail \nx\n', '# c\n  k: v\n', 'only\n', 'a\n \nb\n', 'no end\nx'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function value(next: () => number, depth: number): YamlValue {
  const roll = next();
  if (depth > 3 || roll < 0.4) {
    const kind = Math.floor(next() * 4);
    if (kind === 0) return STRINGS[Math.floor(next() * STRINGS.length)] as string;
    if (kind === 1) return Math.floor(next() * 70_000) - 100;
    if (kind === 2) return next() < 0.5;
    return null;
  }
  const size = Math.floor(next() * 4);
  if (roll < 0.7) return Array.from({ length: size }, () => value(next, depth + 1));
  const out: Record<string, YamlValue> = {};
  for (let i = 0; i < size; i++) out[STRINGS[Math.floor(next() * STRINGS.length)] as string] = value(next, depth + 1);
  return out;
}

describe('toYaml', () => {
  it.each(STRINGS)('reads back the string %j', (text) => {
    expect(parse(`k: ${yamlScalar(text)}\n`)).toEqual({ k: text });
  });

  it('reads back 500 random documents exactly', () => {
    const next = random(7);
    for (let i = 0; i < 500; i++) {
      const doc = value(next, 0);
      expect(parse(toYaml(doc)), toYaml(doc)).toEqual(doc);
    }
  });

  it('writes a config file as a literal block', () => {
    expect(toYaml({ data: { 'nginx.conf': 'events {\n}\n\nhttp {\n    # c\n}\n' } })).toBe('data:\n  nginx.conf: |\n    events {\n    }\n\n    http {\n        # c\n    }\n');
  });

  it('writes the block style people write', () => {
    expect(toYaml({ spec: { ports: [{ name: 'http', port: 80 }], args: ['--port', '80'], empty: {}, none: [] } })).toBe(
      'spec:\n  ports:\n    - name: http\n      port: 80\n  args:\n    - --port\n    - "80"\n  empty: {}\n  none: []\n',
    );
  });
});
