import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/model/load.js';
import { trace } from '../../../core/routing/trace.js';

/**
 * Cases the kernel lab's differential test found trace answering "reachable" where the
 * kernel (and AWS) drop the connection: replies sent elsewhere by a route more specific than
 * the local one, senders without a public address at an internet gateway, unique-local
 * IPv6 on the internet, and an IPv4 node talking to an IPv6 one.
 */
const load = (name: string) => parseTopology(readFileSync(new URL(`../../fixtures/kernel/${name}.topolab.json`, import.meta.url), 'utf8'));

describe('trace follows the replies and the internet gateway as the kernel does', () => {
  const mix = load('routing-mix');
  const vpcs = load('three-vpcs');
  const v6 = load('ipv6');
  const cases: { name: string; topology: ReturnType<typeof load>; from: string; to: string; verdict: 'reachable' | 'blocked'; blockedBy?: string; reason?: RegExp }[] = [
    { name: 'replies into a blackhole more specific than the local route', topology: mix, from: 'hidden', to: 'web1', verdict: 'blocked', blockedBy: 'rt-app', reason: /replies to 10\.0\.50\.10 cannot go back.*a blackhole \(route 10\.0\.50\.0\/24\)/ },
    { name: 'replies through an instance router that forwards them back', topology: mix, from: 'deep', to: 'router-box', verdict: 'reachable' },
    { name: 'a subnet reached through an instance router', topology: mix, from: 'lb-ext', to: 'deep', verdict: 'reachable' },
    { name: 'the local route both ways', topology: mix, from: 'plain-web', to: 'hidden', verdict: 'reachable' },
    // Another VPC's node is at its private designed address, which no internet gateway carries (main's rule, issue 12).
    { name: 'an internal balancer sends to another VPC through an internet gateway', topology: vpcs, from: 'd-int', to: 'a-web', verdict: 'blocked', blockedBy: 'rt-d', reason: /private address of VPC "a"/ },
    { name: 'a public server of one VPC to an internet-facing balancer of another', topology: vpcs, from: 'd-web', to: 'a-ext', verdict: 'blocked', blockedBy: 'rt-d', reason: /private address of VPC "a"/ },
    { name: 'a NAT gateway on the way back does not carry replies it did not translate', topology: vpcs, from: 'b-db', to: 'a-app', verdict: 'blocked', blockedBy: 'rt-a-priv' },
    { name: 'unique-local IPv6 never crosses the internet (sender)', topology: v6, from: 'ula-web', to: 'web6', verdict: 'blocked', blockedBy: 'rt-ula', reason: /no public source address .*"ula-web" has an address in unique local/i },
    { name: 'unique-local IPv6 never crosses the internet (destination)', topology: v6, from: 'client6', to: 'ula-web', verdict: 'blocked', blockedBy: 'ula-web', reason: /no address the internet reaches: fd00:20::10 is in unique local/ },
    { name: 'global IPv6 through the gateway, untranslated', topology: v6, from: 'client6', to: 'web6', verdict: 'reachable' },
    { name: 'IPv4 to IPv6 in one dual-stack VPC', topology: v6, from: 'srv4', to: 'srv6', verdict: 'blocked', blockedBy: 'srv4', reason: /only an IPv4 address and "srv6" is IPv6/ },
    { name: 'an internet client without an address reaches either version', topology: v6, from: 'anywhere', to: 'srv6', verdict: 'reachable' },
  ];
  it.each(cases)('$name', (c) => {
    const result = trace(c.topology, { from: c.from, to: c.to });
    expect(result.verdict, JSON.stringify(result.blockedBy)).toBe(c.verdict);
    if (c.verdict === 'blocked') {
      expect(result.blockedBy?.nodeId).toBe(c.blockedBy);
      if (c.reason) expect(result.blockedBy?.reason).toMatch(c.reason);
    }
  });
});
