// The cache cases of issue 15, one test each, run in real nginx and real HAProxy against
// the lab's answer: the same request sequence through the lab's cache and through each
// export (loopback mode, in front of the same lab origin) must give the same HIT / not-HIT
// sequence, and no answer may reach another user or another host.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import { designFacts, type Entry } from './differential/design-facts.js';
import { cacheClass, type HttpSpec, type Outcome, type Probe } from './differential/probes.js';
import { runPhase } from './differential/send.js';
import { startExport, startLab, type LiveLab, type RunningSystem } from './differential/systems.js';

const topology = parseTopology(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'export', 'cache-rules.topolab.json'), 'utf8'));
const facts = designFacts(topology);
const cacheEntry = facts.entries.find((e) => e.role === 'cache') as Entry;

const get = (path: string, headers: Record<string, string> = {}, host?: string): HttpSpec => ({ type: 'http', method: 'GET', path, headers, ...(host ? { host } : {}) });
const auth = (who: string): Record<string, string> => ({ authorization: `Bearer ${who}` });

interface Case {
  name: string;
  steps: HttpSpec[];
  /** The cache verdict of each step, as RFC 9111 and the lab give it (M: not from the cache, H: HIT). */
  verdicts: string;
  /** Steps where a tool's documented difference applies (docs/export.md): not compared for that tool. */
  documented?: { haproxy?: number[]; nginx?: number[] };
}

const CASES: Case[] = [
  { name: 'Authorization: bob never gets the answer to alice', verdicts: 'MMM', steps: [get('/anything/me', auth('alice')), get('/anything/me', auth('bob')), get('/anything/me', auth('bob'))] },
  { name: 'an answer marked public is shared between users', verdicts: 'MH', steps: [get('/public/me', auth('alice')), get('/public/me', auth('bob'))], documented: { haproxy: [1] } },
  { name: 'the host is part of the key: tenant-b never gets the page of tenant-a', verdicts: 'MMH', steps: [get('/anything/page', {}, 'tenant-a.example'), get('/anything/page', {}, 'tenant-b.example'), get('/anything/page', {}, 'TENANT-A.EXAMPLE.')] },
  { name: 'request Cache-Control: no-cache goes to the origin', verdicts: 'MMH', steps: [get('/static/nc'), get('/static/nc', { 'cache-control': 'no-cache' }), get('/static/nc')] },
  { name: 'request Cache-Control: max-age=0 goes to the origin', verdicts: 'MMH', steps: [get('/static/ma'), get('/static/ma', { 'cache-control': 'max-age=0' }), get('/static/ma')] },
  { name: 'request Cache-Control: no-store neither uses nor fills the cache', verdicts: 'MMMH', steps: [get('/static/ns', { 'cache-control': 'no-store' }), get('/static/ns'), get('/static/ns', { 'cache-control': 'no-store' }), get('/static/ns')] },
  { name: 'Pragma: no-cache without Cache-Control goes to the origin', verdicts: 'MMH', steps: [get('/static/pr'), get('/static/pr', { pragma: 'no-cache' }), get('/static/pr')] },
  { name: 'a plain 200 is kept for the default TTL', verdicts: 'MHH', steps: [get('/anything/plain'), get('/anything/plain'), get('/anything/plain')] },
  { name: 'private, no-store, no-cache and Set-Cookie answers are not served from the cache', verdicts: 'MMMMMMMM', steps: ['private', 'nostore', 'nocache', 'cookie'].flatMap((kind) => [get(`/${kind}/a`), get(`/${kind}/a`)]) },
];

let lab: LiveLab;
const systems = new Map<string, RunningSystem>();
const results = new Map<string, Map<string, Outcome>>();

function probes(): Probe[] {
  return CASES.flatMap((c, i) => c.steps.map((spec, step): Probe => ({ id: `${i}:${step}`, entry: cacheEntry.id, lane: `case ${i}`, phase: 0, spec, check: 'cache' })));
}

beforeAll(async () => {
  lab = await startLab(facts);
  results.set('lab', await runPhase(probes(), lab.system.target, 4));
  for (const tool of ['nginx', 'haproxy'] as const) {
    const system = await startExport(tool, facts, lab);
    systems.set(tool, system);
    results.set(tool, await runPhase(probes(), system.target, 4));
  }
}, 120_000);

afterAll(async () => {
  for (const system of systems.values()) await system.stop();
  await lab?.system.stop();
});

describe.each(['nginx', 'haproxy'] as const)('the %s cache export against the lab', (tool) => {
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i] as Case;
    const skip = new Set(c.documented?.[tool] ?? []);
    const sequence = (system: string): string[] =>
      c.steps.map((_, step) => {
        const o = results.get(system)?.get(`${i}:${step}`);
        return skip.has(step) ? 'documented' : `${o?.status} ${cacheClass(o?.cache)}`;
      });
    expect(sequence(tool)).toEqual(sequence('lab'));
    // And the lab's own answers are the ones RFC 9111 asks for, so agreeing means being right.
    const verdicts = c.steps.map((_, step) => (results.get('lab')?.get(`${i}:${step}`)?.cache === 'HIT' ? 'H' : 'M')).join('');
    expect(verdicts, 'the lab: M not from the cache, H from the cache').toBe(c.verdicts);
    // Whose answer it is: the origin's echo names the requester's own credentials and host.
    for (const system of ['lab', tool]) {
      c.steps.forEach((spec, step) => {
        const echoed = results.get(system)?.get(`${i}:${step}`)?.echoed;
        if (echoed === undefined) return;
        if (spec.headers?.['authorization'] !== undefined && !spec.path.startsWith('/public/')) expect(echoed.authorization, `${system} step ${step}`).toBe(spec.headers['authorization']);
        if (spec.host !== undefined) expect(echoed.host?.toLowerCase().replace(/\.$/, ''), `${system} step ${step}`).toBe(spec.host.toLowerCase().replace(/\.$/, ''));
      });
    }
  });
});
