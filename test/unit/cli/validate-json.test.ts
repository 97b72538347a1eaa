import { describe, expect, it } from 'vitest';
import { writeDiagnosticsJson } from '../../../core/cli/commands/validate.js';
import type { Diagnostic } from '../../../core/validate/index.js';

const diagnostic = (i: number): Diagnostic => ({
  code: 'route-table-missing',
  severity: i % 3 === 0 ? 'error' : 'warning',
  message: `Subnet "s${i}" has "quotes", \\ and é ${'x'.repeat(i % 50)}`,
  nodeIds: [`s${i}`, 'vpc'],
  ...(i % 2 === 0 ? { path: `nodes[${i}]` } : {}),
  ...(i % 5 === 0 ? { fix: { title: 'Use 10.0.1.0/24', nodeId: `s${i}`, field: 'cidr', value: { nested: [i, null, 'x'] } } } : {}),
});

describe('validate --json output', () => {
  it.each([0, 1, 2, 5_000])('is JSON.stringify({ diagnostics }) and a newline, written in bounded chunks (%i diagnostics)', (count) => {
    const diagnostics = Array.from({ length: count }, (_, i) => diagnostic(i));
    const writes: string[] = [];
    writeDiagnosticsJson(diagnostics, (text) => writes.push(text));
    expect(writes.join('')).toBe(`${JSON.stringify({ diagnostics })}\n`);
    // 64 KiB per write, plus at most one diagnostic.
    for (const text of writes) expect(text.length).toBeLessThan(64 * 1024 + 1024);
    if (count === 5_000) expect(writes.length).toBeGreaterThan(1);
  });
});
