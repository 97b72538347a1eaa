import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../../core/model/index.js';
import { trace } from '../../../../core/routing/trace.js';
import { compareWithPrediction, designedSource, expectedServers, observedChain, observedPath, servedByExpected } from '../../../../renderer/lab/predict.js';
import type { SingleRequestResult } from '../../../../renderer/lab/types.js';

const example = (name: string) => parseTopology(readFileSync(new URL(`../../../../examples/${name}.topolab.json`, import.meta.url), 'utf8'));
const answer = (extra: Partial<SingleRequestResult> = {}): SingleRequestResult => ({
  status: 200,
  headers: {},
  body: '',
  bodyBytes: 0,
  truncated: false,
  timing: { headersMs: 1, totalMs: 2 },
  servedBy: [],
  via: [],
  ...extra,
});

describe('predicted vs observed path', () => {
  it('follows forwarding edges (and proxy rules) down to the serving nodes', () => {
    expect(expectedServers(example('nginx-two-backends'), 'nginx')).toEqual(['backend-1', 'backend-2']);
    expect(expectedServers(example('cache-in-front'), 'cache')).toEqual(['web']);
    expect(expectedServers(example('reverse-proxy'), 'gateway')).toEqual(['admin', 'api-1', 'api-2', 'static', 'storefront']);
    expect(expectedServers(example('nginx-two-backends'), 'backend-1')).toEqual(['backend-1']);
    expect(servedByExpected(['asg'], 'asg#3')).toBe(true);
    expect(servedByExpected(['asg'], 'asgx')).toBe(false);
  });

  it('reads the observed path from headers and the built-in server echo', () => {
    const observed = observedPath(
      answer({
        headers: { 'x-cache': 'HIT', 'x-topolab-blocked-by': 'rt-main' },
        body: JSON.stringify({ headers: { 'x-forwarded-for': '198.51.100.20, 127.0.0.1' } }),
        servedBy: ['web', 'cache'],
        via: ['1.1 cache'],
      }),
    );
    expect(observed).toMatchObject({ status: 200, servedBy: 'web', cache: 'HIT', forwardedFor: '198.51.100.20, 127.0.0.1', blockedBy: 'rt-main', via: ['1.1 cache'] });
    expect(observedPath(answer({ body: 'not json' })).forwardedFor).toBeUndefined();
  });

  it('agrees when the answer comes from an expected server over a reachable flow', () => {
    const doc = example('nginx-two-backends');
    const predicted = trace(doc, { from: 'browser', to: 'nginx' });
    expect(predicted.verdict).toBe('reachable');
    expect(compareWithPrediction({ trace: predicted, expected: ['backend-1', 'backend-2'], to: 'nginx' }, observedPath(answer({ servedBy: ['backend-2'] })))).toEqual([]);
  });

  it('reports every disagreement as a finding', () => {
    const doc = example('nginx-two-backends');
    const reachable = trace(doc, { from: 'browser', to: 'nginx' });
    const blocked = trace(doc, { from: 'browser', to: 'backend-1' });
    expect(blocked.verdict).toBe('blocked');
    const expected = ['backend-1', 'backend-2'];
    const messages = (findings: { message: string }[]) => findings.map((f) => f.message).join('\n');
    expect(messages(compareWithPrediction({ trace: blocked, expected, to: 'backend-1' }, observedPath(answer({ servedBy: ['backend-1'] }))))).toMatch(/says this flow is blocked/);
    expect(messages(compareWithPrediction({ trace: reachable, expected, to: 'nginx' }, observedPath(answer({ status: 502, headers: { 'x-topolab-blocked-by': 'rt-main' } }))))).toMatch(/rt-main blocked an upstream/);
    expect(messages(compareWithPrediction({ trace: reachable, expected, to: 'nginx' }, observedPath(answer({ status: 0, error: 'ECONNREFUSED: x' }))))).toMatch(/no response \(ECONNREFUSED/);
    expect(messages(compareWithPrediction({ trace: reachable, expected, to: 'nginx' }, observedPath(answer({ servedBy: ['intruder'] }))))).toMatch(/Answered by intruder/);
    expect(compareWithPrediction({ expected, to: 'nginx' }, observedPath(answer()))).toEqual([{ severity: 'info', message: expect.stringContaining('no x-served-by') }]);
  });

  it('says X-Forwarded-For differs from the designed client address, and why (issue 16)', () => {
    const doc = example('two-tier-web');
    const predicted = trace(doc, { from: 'visitor', to: 'web-lb' });
    expect(designedSource(predicted)).toEqual({ nodeId: 'visitor', address: '203.0.113.10' });
    const echo = (xff: string) => answer({ servedBy: ['app-a'], body: JSON.stringify({ headers: { 'x-forwarded-for': xff } }) });
    const findings = compareWithPrediction({ trace: predicted, expected: ['app-a', 'app-b'], to: 'web-lb' }, observedPath(echo('127.0.0.1')));
    expect(findings).toEqual([{ severity: 'info', about: 'address', message: expect.stringMatching(/^X-Forwarded-For is 127\.0\.0\.1, not visitor's designed 203\.0\.113\.10: the lab runs every node on this machine's loopback/) }]);
    expect(compareWithPrediction({ trace: predicted, expected: ['app-a', 'app-b'], to: 'web-lb' }, observedPath(echo('203.0.113.10, 127.0.0.1')))).toEqual([]);
  });

  it('reads the observed chain: client, proxies from Via (origin side last), then the server', () => {
    expect(observedChain('reader', observedPath(answer({ servedBy: ['web'], via: ['1.1 lb', '1.1 cache'] })))).toEqual(['reader', 'cache', 'lb', 'web']);
    expect(observedChain('', observedPath(answer({ servedBy: ['web'] })))).toEqual(['outside the design', 'web']);
    expect(observedChain('c', observedPath(answer({ status: 403, via: ['1.1 egress-proxy'] })))).toEqual(['c', 'egress-proxy']);
  });
});
