import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import type { Topology } from '../../../core/model/types.js';
import type { Lab } from '../../../core/runtime/lab/lab.js';
import { LabPlanError } from '../../../core/runtime/lab/plan.js';
import { accepts, handleCounts, realLab } from './helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.topolab.json')).sort();

function example(file: string): Topology {
  return parseTopology(readFileSync(`${EXAMPLES}${file}`, 'utf8'));
}

let lab: Lab | undefined;

afterEach(async () => {
  await lab?.stop();
  lab = undefined;
  await expect.poll(() => handleCounts().servers).toBe(0);
});

describe('the examples run as labs', () => {
  it('has examples to run', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files.filter((f) => !f.startsWith('broken')))('%s: every client reaches what it is drawn sending to', async (file) => {
    const topology = example(file);
    // The examples' folder: where an API gateway's secret files are.
    lab = realLab(topology, { designFolder: EXAMPLES });
    await lab.start();
    const servers = lab.status().nodes.filter((n) => n.role === 'backend').map((n) => n.id);
    for (const client of topology.nodes.filter((n) => n.kind === 'client')) {
      for (const edge of topology.edges.filter((e) => e.from === client.id)) {
        const target = topology.nodes.find((n) => n.id === edge.to);
        // A forward proxy is an egress: ask it for a server of the design by its designed address.
        const reply =
          target?.kind === 'forward-proxy'
            ? await lab.request({ from: client.id, via: edge.to, to: servers[0] ?? '' })
            : await lab.request({ from: client.id, to: edge.to });
        expect({ edge: edge.id, status: reply.status }).toEqual({ edge: edge.id, status: 200 });
        expect(servers).toContain(reply.servedBy[0]);
      }
    }
    const urls = lab.endpoints().map((e) => e.url);
    await lab.stop();
    for (const url of urls) expect(await accepts(url)).toBe(false);
  });

  it.each(files.filter((f) => f.startsWith('broken')))('%s: is refused before anything starts, quoting its errors', async (file) => {
    lab = realLab(example(file));
    const error = await lab.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabPlanError);
    expect((error as LabPlanError).problems.length).toBeGreaterThan(0);
    expect(lab.status().nodes).toEqual([]);
  });
});
