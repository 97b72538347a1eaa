import { describe, expect, it } from 'vitest';
import { canonicalHost, decideDestination, INTERNET_PROBE_ADDRESS, type DestinationContext } from '../../../core/runtime/services/destination.js';
import { compilePolicy } from '../../../core/runtime/services/host-policy.js';
import type { ConnectGate, LabResolver } from '../../../core/runtime/services/types.js';

const web = { host: '127.0.0.1', port: 41000 };
/** A lab with one server, web1 at 10.0.1.10:80. */
const resolver: LabResolver = (host, port) => {
  if (host !== '10.0.1.10' && host !== 'web1') return undefined;
  return port === 80 ? { nodeId: 'web1', endpoint: web } : { nodeId: 'web1', listensOn: 80 };
};
const gateCalls: string[] = [];
const allow: ConnectGate = (_from, to) => {
  gateCalls.push(to);
  return { allowed: true };
};

function context(allowList: string[] = [], deny: string[] = [], gate: ConnectGate = allow): DestinationContext {
  return { nodeId: 'proxy', policy: compilePolicy(allowList, deny), labAddress: resolver, gate };
}

describe('canonicalHost: one spelling per address, no resolver', () => {
  it.each([
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['167772426', '10.0.1.10'],
    ['[::1]', '::1'],
    ['[0:0:0:0:0:0:0:1]', '::1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['API.Internal.', 'api.internal'],
    ['%77eb1', 'web1'],
  ])('%s -> %s', (raw, canonical) => {
    expect(canonicalHost(raw)).toBe(canonical);
  });

  it('refuses what no resolver would take', () => {
    expect(canonicalHost('0x100000000')).toBeUndefined();
    expect(canonicalHost('1.2.3.4.5')).toBeUndefined();
  });
});

describe('decideDestination: lab endpoints only, the stand-in for the rest', () => {
  it.each(['127.0.0.1', '2130706433', '0177.0.0.1', '127.1', 'localhost', 'api.localhost', '[::1]', '::1', '[::ffff:127.0.0.1]', '0.0.0.0', '0', '[::]'])(
    'refuses %s (this host) with 403, whatever the allow list says',
    (host) => {
      expect(decideDestination(host, 80, context(['0.0.0.0/0', '::/0', 'localhost', '*.localhost']))).toMatchObject({ kind: 'refused', status: 403 });
    },
  );

  it('maps designed addresses and node ids (in any spelling) to the lab endpoint, after the gate', () => {
    expect(decideDestination('10.0.1.10', 80, context())).toEqual({ kind: 'lab', nodeId: 'web1', endpoint: web });
    expect(decideDestination('167772426', 80, context())).toEqual({ kind: 'lab', nodeId: 'web1', endpoint: web });
    expect(decideDestination('WEB1.', 80, context())).toEqual({ kind: 'lab', nodeId: 'web1', endpoint: web });
    const blocked = decideDestination('10.0.1.10', 80, context([], [], () => ({ allowed: false, blockedBy: 'rt-1', reason: 'no route', code: 'no-route' })));
    expect(blocked).toMatchObject({ kind: 'refused', status: 502, block: { blockedBy: 'rt-1', code: 'no-route' }, to: 'web1' });
  });

  it('answers a lab node on a port the design does not give it as connection refused (no resolver, no connection)', () => {
    expect(decideDestination('web1', 9999, context(['web1']))).toMatchObject({ kind: 'refused', status: 502, code: 'connection-refused' });
    expect(decideDestination('10.0.1.10', 9999, context(['10.0.0.0/8']))).toMatchObject({ kind: 'refused', status: 502, code: 'connection-refused' });
  });

  it('sends allowed names and public addresses outside the design to the internet stand-in, after asking the routing', () => {
    gateCalls.length = 0;
    expect(decideDestination('Registry.NPMJS.org', 80, context(['*.npmjs.org']))).toEqual({ kind: 'internet', host: 'registry.npmjs.org', port: 80 });
    expect(decideDestination('93.184.216.34', 443, context(['0.0.0.0/0']))).toEqual({ kind: 'internet', host: '93.184.216.34', port: 443 });
    expect(gateCalls).toEqual([INTERNET_PROBE_ADDRESS, '93.184.216.34']);
    const noRoute = decideDestination('github.com', 443, context(['github.com'], [], () => ({ allowed: false, blockedBy: 'rt-private', reason: 'no route to the internet', code: 'no-route' })));
    expect(noRoute).toMatchObject({ kind: 'refused', status: 502, block: { blockedBy: 'rt-private', code: 'no-route' } });
  });

  it('refuses private addresses no node has (unreachable), denied and unlisted hosts (403), metadata always', () => {
    expect(decideDestination('10.3.9.9', 80, context(['10.0.0.0/8']))).toMatchObject({ kind: 'refused', status: 502, code: 'unreachable' });
    expect(decideDestination('192.168.1.5', 80, context(['192.168.0.0/16']))).toMatchObject({ kind: 'refused', status: 502, code: 'unreachable' });
    expect(decideDestination('evil.example', 80, context())).toMatchObject({ kind: 'refused', status: 403 });
    expect(decideDestination('github.com', 80, context(['*.com'], ['github.com']))).toMatchObject({ kind: 'refused', status: 403 });
    expect(decideDestination('169.254.169.254', 80, context(['169.254.0.0/16']))).toMatchObject({ kind: 'refused', status: 403 });
    // A deny list cannot be dodged with another spelling of the same address.
    expect(decideDestination('2851995905', 80, context(['0.0.0.0/0'], ['169.254.0.0/16']))).toMatchObject({ kind: 'refused', status: 403 });
    expect(decideDestination('0x5db8d822', 80, context(['0.0.0.0/0'], ['93.184.216.34']))).toMatchObject({ kind: 'refused', status: 403 });
  });
});
