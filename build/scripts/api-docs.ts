/**
 * Writes the method and event tables of docs/api.md from the contract (`npm run docs:api`),
 * between the `<!-- methods -->` / `<!-- events -->` markers, so the page lists exactly what
 * the service answers. The prose around the markers is kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { events, MENU_COMMANDS, methods } from '../../core/api/contract/index.js';

/** Where the API page lives. */
export const API_DOC_PATH = fileURLToPath(new URL('../../docs/api.md', import.meta.url));

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; enum?: unknown[]; anyOf?: JsonSchema[]; const?: unknown };

/** A one-word type for a JSON Schema node (`string`, `number[]`, `"a" | "b"`, `object`). */
function typeName(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(typeName).join(' \\| ');
  if (schema.type === 'array') return `${typeName(schema.items)}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  return schema.type ?? 'any';
}

/** The input fields of a method as `name: type`, optional ones marked `?`. */
export function describeInput(input: z.ZodType): string {
  const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, field]) => `\`${name}${required.has(name) ? '' : '?'}\`: ${typeName(field)}`);
  return fields.length ? fields.join(', ') : '`{}`';
}

/** Where a method or event is served, as the tables say it. */
const SERVED: Record<'service' | 'shell', string> = { service: 'every transport', shell: 'desktop IPC only' };

/** The generated Markdown tables. */
export function methodTable(): string {
  const rows = Object.entries(methods).map(([name, spec]) => `| \`${name}\` | ${describeInput(spec.input)} | ${SERVED[spec.servedBy]} | ${spec.description.replace(/\|/g, '\\|')} |`);
  return ['| Method | Input | Served over | What it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The Markdown table of every event of the contract and what it carries. */
export function eventTable(): string {
  const rows = Object.entries(events).map(([name, spec]) => `| \`${name}\` | ${SERVED[spec.servedBy]} | ${spec.description.replace(/\|/g, '\\|')} |`);
  return ['| Event | Sent over | When it fires |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The Markdown table of the native menu's commands (`app.menu`), grouped by menu. */
export function menuTable(): string {
  const groups = new Map<string, string[]>();
  for (const command of MENU_COMMANDS) {
    const menu = command.slice(0, command.indexOf('.'));
    groups.set(menu, [...(groups.get(menu) ?? []), `\`${command}\``]);
  }
  const rows = [...groups].map(([menu, commands]) => `| ${menu[0]?.toUpperCase()}${menu.slice(1)} | ${commands.join(', ')} |`);
  return ['| Menu | Command ids |', '| --- | --- |', ...rows].join('\n');
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/api.md has no ${start} ... ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(API_DOC_PATH, 'utf8');
  const next = replaceBetween(replaceBetween(replaceBetween(current, 'methods', methodTable()), 'events', eventTable()), 'menu', menuTable());
  writeFileSync(API_DOC_PATH, next);
  console.log(`wrote ${API_DOC_PATH}: ${Object.keys(methods).length} methods, ${Object.keys(events).length} events, ${MENU_COMMANDS.length} menu commands`);
}
