import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/index.js';
import { DIAGNOSTIC_CODES, validateTopology } from '../../../core/validate/index.js';

/** docs/diagnostics.md stays true: every example, run through the validator, gives the quoted message. */
const page = readFileSync(new URL('../../../docs/diagnostics.md', import.meta.url), 'utf8');

interface DocExample {
  code: string;
  json: string;
  nodeIds: string[];
  path: string;
  message: string;
  severity: string;
}

function examples(): DocExample[] {
  const out: DocExample[] = [];
  for (const section of page.split(/^### /m).slice(1)) {
    const code = /^`([^`]+)`/.exec(section)?.[1];
    const json = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    const where = /Reports \(`nodeIds` (\[[^\]]*\]), `path` `([^`]+)`\):/.exec(section);
    const message = /^> (.*)$/m.exec(section)?.[1];
    const severity = /^\*\*Severity:\*\* (.*)$/m.exec(section)?.[1];
    if (!code || !json || !where || !message || !severity) throw new Error(`docs/diagnostics.md: section ${code ?? section.slice(0, 40)} is missing its example`);
    out.push({ code, json, nodeIds: JSON.parse(where[1]!) as string[], path: where[2]!, message, severity });
  }
  return out;
}

describe('docs/diagnostics.md', () => {
  const all = examples();

  it.each(all.map((e) => [e.code, e] as const))('the %s example gives the documented diagnostic', (code, example) => {
    const found = validateTopology(parseTopology(example.json)).filter((d) => d.code === code);
    const documented = found.find((d) => d.message === example.message);
    expect(documented, `no ${code} diagnostic with the documented message`).toBeDefined();
    expect(documented).toMatchObject({ nodeIds: example.nodeIds, path: example.path });
    expect(example.severity).toContain(documented!.severity);
  });

  it('documents every code (or names it as reserved)', () => {
    const documented = new Set(all.map((e) => e.code));
    const reservedLine = /\*\*Reserved codes\*\*[^:]*:([^.]*)\./.exec(page)?.[1] ?? '';
    for (const match of reservedLine.matchAll(/`([^`]+)`/g)) documented.add(match[1]!);
    expect(DIAGNOSTIC_CODES.filter((code) => !documented.has(code))).toEqual([]);
  });
});
