/**
 * Writes core/model/fast-parse.generated.ts from the zod schema of the file format
 * (`npm run schema`): straight-line checks of the same shape, for loading a valid file
 * without zod. The schema is the one core/model/schema.ts assembles from the node kinds'
 * descriptors (core/model/kinds/<kind>.ts), and the module also carries a copy of the
 * references those descriptors declare (`RESOLVING_REFERENCES`), which the fast path checks
 * as the schema's refinement does (core/model/integrity.ts). A unit test fails when the
 * committed file is older than the descriptors.
 *
 * Why: zod checks 100,000 nodes in some 200 ms on a cold start and copies each one, and
 * loading zod is most of the start-up time of `topolab validate` on a small file. The
 * generated parser answers for valid documents only: it returns exactly what zod returns
 * (defaults applied, fields in schema order; the input object itself where that is already
 * so), or FAST_PARSE_FAILED for anything else, and the caller then asks zod, which names
 * every problem. It supports the zod constructs the format uses and refuses to generate
 * anything else, so a new kind of field fails `npm run schema` rather than being guessed.
 * test/unit/model/fast-parse.test.ts compares both on random documents.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { RESOLVING_REFERENCES } from '../../core/model/kinds/index.js';
import { CURRENT_SCHEMA, TopologyObjectSchema } from '../../core/model/schema.js';

/** Where the parser is committed. */
export const FAST_PARSE_PATH = fileURLToPath(new URL('../../core/model/fast-parse.generated.ts', import.meta.url));

/** The parts of zod's schema definitions read here (zod 4's `_zod.def`). */
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  defaultValue?: unknown;
  element?: Schema;
  items?: Schema[];
  rest?: Schema | null;
  keyType?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
  unionFallback?: boolean;
  values?: unknown[];
  entries?: Record<string, string | number>;
  getter?: () => Schema;
  mode?: string;
}
interface CheckDef {
  check: string;
  maximum?: number;
  minimum?: number;
  format?: string;
  pattern?: RegExp;
  prefix?: string;
  value?: number;
  inclusive?: boolean;
}
type Schema = { _zod: { def: Def; optin?: string } };

const schemaOf = (s: z.ZodType | Schema): Schema => s as unknown as Schema;

class Generator {
  private readonly names = new Map<Schema, string>();
  private readonly functions: string[] = [];
  private readonly constants: string[] = [];
  private readonly patterns = new Map<string, string>();

  /** A JS expression naming a constant for this regex (one per distinct pattern). */
  private pattern(regex: RegExp): string {
    if (regex.global || regex.sticky) throw new Error(`emit-fast-parse: a global or sticky regex (${String(regex)}) keeps state between tests`);
    const text = String(regex);
    let name = this.patterns.get(text);
    if (!name) {
      name = `R${this.patterns.size}`;
      this.patterns.set(text, name);
      this.constants.push(`const ${name} = ${text};`);
    }
    return name;
  }

  /** Conditions (JS expressions over `x`) that the checks of a string, number or array put on it. */
  private checks(def: Def, x: string, what: 'string' | 'number' | 'array'): string[] {
    const out: string[] = [];
    for (const check of def.checks ?? []) {
      const c = check._zod.def;
      if (c.check === 'max_length' && what !== 'number') out.push(`${x}.length <= ${c.maximum}`);
      else if (c.check === 'min_length' && what !== 'number') out.push(`${x}.length >= ${c.minimum}`);
      else if (c.check === 'string_format' && c.format === 'regex' && what === 'string') out.push(`${this.pattern(c.pattern!)}.test(${x})`);
      else if (c.check === 'string_format' && c.format === 'starts_with' && what === 'string') out.push(`${x}.startsWith(${JSON.stringify(c.prefix)})`);
      else if (c.check === 'number_format' && c.format === 'safeint' && what === 'number') out.push(`Number.isSafeInteger(${x})`);
      else if (c.check === 'greater_than' && what === 'number') out.push(`${x} ${c.inclusive ? '>=' : '>'} ${c.value}`);
      else if (c.check === 'less_than' && what === 'number') out.push(`${x} ${c.inclusive ? '<=' : '<'} ${c.value}`);
      else throw new Error(`emit-fast-parse: unsupported check ${JSON.stringify(c)} on a ${what}`);
    }
    return out;
  }

  /**
   * For a schema whose output is its input when valid (string, number, boolean, literal,
   * enum), the JS condition that `x` is valid; undefined for any other schema.
   */
  private condition(schema: Schema, x: string): string | undefined {
    const def = schema._zod.def;
    switch (def.type) {
      case 'string':
        return [`typeof ${x} === 'string'`, ...this.checks(def, x, 'string')].join(' && ');
      case 'number':
        return [`typeof ${x} === 'number'`, `Number.isFinite(${x})`, ...this.checks(def, x, 'number')].join(' && ');
      case 'boolean':
        if (def.checks?.length) throw new Error('emit-fast-parse: checks on a boolean');
        return `typeof ${x} === 'boolean'`;
      case 'literal':
        return `(${def.values!.map((v) => `${x} === ${literal(v)}`).join(' || ')})`;
      case 'enum':
        return `(${Object.values(def.entries!).map((v) => `${x} === ${literal(v)}`).join(' || ')})`;
      default:
        return undefined;
    }
  }

  /** Statements that set `out` to the parsed `x` or return FAILED from the enclosing function. */
  private parseInto(schema: Schema, x: string, out: string): string {
    const condition = this.condition(schema, x);
    if (condition !== undefined) return `if (!(${condition})) return FAILED;\n${out} = ${x};`;
    return `${out} = ${this.function(schema)}(${x});\nif (${out} === FAILED) return FAILED;`;
  }

  /** The name of a generated function `(v: unknown) => unknown` parsing this schema. */
  function(schema: Schema): string {
    const known = this.names.get(schema);
    if (known) return known;
    const name = `p${this.names.size}`;
    this.names.set(schema, name);
    const def = schema._zod.def;
    let body: string;
    switch (def.type) {
      case 'object':
        body = this.object(def);
        break;
      case 'array':
        body = this.array(def);
        break;
      case 'tuple':
        body = this.tuple(def);
        break;
      case 'record':
        body = this.record(def);
        break;
      case 'union':
        body = this.union(def);
        break;
      case 'lazy':
        body = `return ${this.function(def.getter!())}(v);`;
        break;
      default: {
        const condition = this.condition(schema, 'v');
        if (condition === undefined) throw new Error(`emit-fast-parse: unsupported schema type ${def.type}`);
        body = `return ${condition} ? v : FAILED;`;
      }
    }
    this.functions.push(`function ${name}(v: unknown): unknown {\n${indent(body)}\n}`);
    return name;
  }

  /**
   * A strict object: no key outside the shape (zod's `for...in`), each field parsed, the
   * output built in shape order; the input itself when it is a plain object whose keys are
   * already in shape order and no field changed (a default filled in, a nested copy).
   */
  private object(def: Def): string {
    if (def.catchall?._zod.def.type !== 'never') throw new Error('emit-fast-parse: only strict objects (z.strictObject) are supported');
    const keys = Object.keys(def.shape!);
    const positions = `K${this.constants.length}`;
    this.constants.push(`const ${positions} = new Map<string, number>([${keys.map((k, i) => `[${JSON.stringify(k)}, ${i}]`).join(', ')}]);`);
    const lines = [
      "if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return FAILED;",
      'const o = v as Obj;',
      // Unknown keys, and whether the present keys come in shape order.
      'let same = true;',
      'let last = -1;',
      'for (const key in o) {',
      `  const at = ${positions}.get(key);`,
      '  if (at === undefined) return FAILED;',
      '  if (at < last && !fileOrder) same = false;',
      '  last = at;',
      '}',
    ];
    const build: string[] = ['const out: Obj = {};'];
    keys.forEach((key, i) => {
      let field = def.shape![key]!;
      const access = `o[${JSON.stringify(key)}]`;
      const value = `a${i}`;
      const parsed = `b${i}`;
      lines.push(`const ${value} = ${access};`);
      const type = field._zod.def.type;
      if (type === 'optional') {
        field = field._zod.def.innerType!;
        if (field._zod.optin === 'defaulted') throw new Error(`emit-fast-parse: ${key} is optional around a default`);
        // A key present with the value undefined keeps the key in zod's output: leave that to zod.
        lines.push(`if (${value} === undefined && ${JSON.stringify(key)} in o) return FAILED;`);
        lines.push(`let ${parsed}: unknown;`, `if (${value} !== undefined) {`, indent(this.parseInto(field, value, parsed)), `  if (${parsed} !== ${value}) same = false;`, '}');
        build.push(`if (${parsed} !== undefined) out[${JSON.stringify(key)}] = ${parsed};`);
      } else if (type === 'default') {
        const fallback = literal(field._zod.def.defaultValue);
        field = field._zod.def.innerType!;
        lines.push(`let ${parsed}: unknown;`, `if (${value} === undefined) {`, `  ${parsed} = ${fallback};`, '  same = false;', '} else {', indent(this.parseInto(field, value, parsed)), `  if (${parsed} !== ${value}) same = false;`, '}');
        build.push(`out[${JSON.stringify(key)}] = ${parsed};`);
      } else {
        lines.push(`let ${parsed}: unknown;`, this.parseInto(field, value, parsed), `if (${parsed} !== ${value}) same = false;`);
        build.push(`out[${JSON.stringify(key)}] = ${parsed};`);
      }
    });
    lines.push('if (same) return v;', ...build, 'return out;');
    return lines.join('\n');
  }

  /** An array: every element parsed; the input array itself when no element changed. */
  private array(def: Def): string {
    const element = def.element!;
    const condition = this.condition(element, 'x');
    const lines = [`if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype) return FAILED;`];
    const length = this.checks(def, 'v', 'array');
    if (length.length > 0) lines.push(`if (!(${length.join(' && ')})) return FAILED;`);
    if (condition !== undefined) {
      lines.push('for (let i = 0; i < v.length; i++) {', '  const x: unknown = v[i];', `  if (!(${condition})) return FAILED;`, '}', 'return v;');
    } else {
      const parse = this.function(element);
      lines.push(
        'let out: unknown[] | undefined;',
        'for (let i = 0; i < v.length; i++) {',
        '  const x: unknown = v[i];',
        `  const y = ${parse}(x);`,
        '  if (y === FAILED) return FAILED;',
        '  if (y !== x && out === undefined) out = v.slice(0, i);',
        '  if (out !== undefined) out.push(y);',
        '}',
        'return out ?? v;',
      );
    }
    return lines.join('\n');
  }

  /** A tuple of required items, no rest: exactly that many, each parsed. */
  private tuple(def: Def): string {
    if (def.rest) throw new Error('emit-fast-parse: tuples with a rest element are not supported');
    const items = def.items!;
    if (items.some((item) => item._zod.optin !== undefined)) throw new Error('emit-fast-parse: optional tuple items are not supported');
    const lines = [`if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype || v.length !== ${items.length}) return FAILED;`, 'let same = true;'];
    items.forEach((item, i) => {
      lines.push(`const a${i}: unknown = v[${i}];`, `let b${i}: unknown;`, this.parseInto(item, `a${i}`, `b${i}`), `if (b${i} !== a${i}) same = false;`);
    });
    lines.push(`return same ? v : [${items.map((_, i) => `b${i}`).join(', ')}];`);
    return lines.join('\n');
  }

  /** A record with a string key schema: every own key and value parsed, in key order. */
  private record(def: Def): string {
    if (def.mode !== undefined && def.mode !== 'strict') throw new Error(`emit-fast-parse: record mode ${def.mode}`);
    const keyCondition = this.condition(def.keyType!, 'key');
    if (keyCondition === undefined || def.keyType!._zod.def.type !== 'string') throw new Error('emit-fast-parse: only string-keyed records are supported');
    return [
      "if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return FAILED;",
      'const o = v as Obj;',
      'let out: Obj | undefined;',
      'const keys = Object.keys(o);',
      'for (let i = 0; i < keys.length; i++) {',
      '  const key = keys[i]!;',
      // zod drops a __proto__ key silently: leave that case to zod.
      `  if (key === '__proto__' || !(${keyCondition})) return FAILED;`,
      '  const x = o[key];',
      '  let y: unknown;',
      indent(this.parseInto(def.valueType!, 'x', 'y')),
      '  if (y !== x && out === undefined) {',
      '    out = {};',
      '    for (let j = 0; j < i; j++) out[keys[j]!] = o[keys[j]!];',
      '  }',
      '  if (out !== undefined) out[key] = y;',
      '}',
      'return out ?? v;',
    ].join('\n');
  }

  /** A union: the first option that accepts (zod's order); a discriminated union picks by its key. */
  private union(def: Def): string {
    if (def.discriminator !== undefined) {
      if (def.unionFallback) throw new Error('emit-fast-parse: discriminated unions with a fallback are not supported');
      const cases = def.options!.map((option) => {
        const values = option._zod.def.shape?.[def.discriminator!]?._zod.def.values;
        if (!values) throw new Error('emit-fast-parse: a discriminated option without a literal discriminator');
        return `${values.map((value) => `case ${literal(value)}:`).join(' ')} return ${this.function(option)}(v);`;
      });
      return [
        "if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAILED;",
        `switch ((v as Obj)[${JSON.stringify(def.discriminator)}]) {`,
        ...cases.map((c) => `  ${c}`),
        '  default: return FAILED;',
        '}',
      ].join('\n');
    }
    const lines = ['let y: unknown;'];
    for (const option of def.options!) {
      const condition = this.condition(option, 'v');
      if (condition !== undefined) lines.push(`if (${condition}) return v;`);
      else lines.push(`y = ${this.function(option)}(v);`, 'if (y !== FAILED) return y;');
    }
    lines.push('return FAILED;');
    return lines.join('\n');
  }

  /** The whole module. */
  render(entry: string): string {
    return [
      '// Generated by `npm run schema` (build/scripts/emit-fast-parse.ts) from the node kinds\' descriptors',
      '// (core/model/kinds/) and the document schema around them (core/model/schema.ts). Do not edit.',
      `// Accepts exactly the valid ${CURRENT_SCHEMA} documents of TopologyObjectSchema and returns what zod would;`,
      '// returns FAST_PARSE_FAILED for anything else (the caller then migrates or asks zod for the problems).',
      '/* eslint-disable */',
      '',
      "import type { ResolvingReferences } from './kinds/reference-path.js';",
      '',
      'type Obj = Record<string, unknown>;',
      '',
      '/** The references each kind declares whose ids must name a node: a copy of the descriptors\' RESOLVING_REFERENCES. */',
      `export const FAST_PARSE_REFERENCES: ResolvingReferences = ${references()};`,
      '',
      '/** What the parser returns for anything it does not accept. */',
      "export const FAST_PARSE_FAILED: unique symbol = Symbol('fast-parse-failed');",
      'const FAILED = FAST_PARSE_FAILED;',
      '/** Set for one call: keep objects whose fields come in another order than the schema\'s (see fastParseTopologyObject). */',
      'let fileOrder = false;',
      ...this.constants,
      '',
      ...this.functions.flatMap((f) => [f, '']),
      '/**',
      ' * A shape-checked topology object (defaults applied, fields in schema order), or FAST_PARSE_FAILED.',
      " * `keyOrder: 'file'` keeps every object whose fields are valid as it is, with its fields in the",
      " * file's order, where zod (and 'schema') rebuild it in the schema's order: for a caller that reads",
      ' * fields by name and never writes the document out (`topolab validate`), a file whose nodes list',
      ' * `kind` before `name` costs no copy of its 100,000 nodes. Every value is the same either way.',
      ' */',
      "export function fastParseTopologyObject(v: unknown, keyOrder: 'schema' | 'file' = 'schema'): unknown {",
      "  fileOrder = keyOrder === 'file';",
      '  try {',
      `    return ${entry}(v);`,
      '  } finally {',
      '    fileOrder = false;',
      '  }',
      '}',
      '',
    ].join('\n');
  }
}

/** The descriptors' resolving references as a literal, one kind per line (kinds that declare none left out). */
function references(): string {
  const lines = Object.entries(RESOLVING_REFERENCES)
    .filter(([, list]) => list.length > 0)
    .map(([kind, list]) => `  ${JSON.stringify(kind)}: ${JSON.stringify(list)},`);
  return `{\n${lines.join('\n')}\n}`;
}

function literal(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`emit-fast-parse: literal ${value}`);
  return JSON.stringify(value);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}

/** The generated module's text. */
export function renderFastParse(): string {
  const generator = new Generator();
  const entry = generator.function(schemaOf(TopologyObjectSchema));
  return generator.render(entry);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(FAST_PARSE_PATH, renderFastParse());
  console.log(`wrote ${FAST_PARSE_PATH}`);
}
