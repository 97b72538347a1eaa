import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTopology, type DnsZoneNode, type Topology } from '../../../core/model/index.js';
import { disconnect, flowEdgeId, parseFlowEdgeId } from '../../../renderer/actions/connect.js';
import { newDnsRecord, setDnsRecords } from '../../../renderer/actions/dns.js';
import { addNode } from '../../../renderer/actions/place.js';
import { toFlowEdges } from '../../../renderer/canvas/flow.js';
import { applyMetrics, dnsAnswerCount, initialLabState } from '../../../renderer/lab/state.js';

const design = (): Topology => parseTopology(readFileSync(new URL('../../fixtures/lab/dns.topolab.json', import.meta.url), 'utf8'));
const zoneOf = (doc: Topology, id = 'shop'): DnsZoneNode => doc.nodes.find((n) => n.id === id) as DnsZoneNode;
const edges = (doc: Topology) => toFlowEdges(doc, { edgeBadges: new Map(), selection: new Set(), highlight: null });

describe('DNS on the canvas', () => {
  it('draws one dashed link from the zone to each node its records name, keyed by every record that names it', () => {
    const dns = edges(design()).filter((e) => e.data?.role === 'dns');
    expect(dns.map((e) => `${e.source}->${e.target}`)).toEqual(['shop->web1', 'shop->web2', 'shop->web3']);
    expect(dns[0]).toMatchObject({
      id: 'dns|shop|web1',
      className: 'edge-dns',
      data: { dns: { zoneId: 'shop', answers: [{ recordSet: 'www.shop.example A', data: '10.0.1.10' }, { recordSet: 'app.shop.example A', data: '10.0.1.10' }, { recordSet: 'multi.shop.example A', data: '10.0.1.10' }] } },
    });
    expect(dns[0]?.markerEnd).toBeUndefined();
  });

  it('round-trips the link id, and deleting a link removes the node (and its weight) from every record of the zone', () => {
    expect(parseFlowEdgeId(flowEdgeId({ kind: 'dns', zone: 'shop', node: 'web3' }))).toEqual({ kind: 'dns', zone: 'shop', node: 'web3' });
    const doc = setDnsRecords(design(), {
      zoneId: 'shop',
      records: [
        { name: 'api', type: 'A', ttl: 60, values: ['web1', 'web2'], policy: 'weighted', weights: [3, 1] },
        { name: 'www', type: 'A', ttl: 60, values: ['web1'], policy: 'simple' },
      ],
    });
    const after = disconnect(doc, { edgeId: 'dns|shop|web1' });
    expect(zoneOf(after).records).toEqual([{ name: 'api', type: 'A', ttl: 60, values: ['web2'], policy: 'weighted', weights: [1] }]);
    expect(zoneOf(disconnect(after, { edgeId: 'dns|shop|web2' })).records).toEqual([]);
  });

  it('edits records as a whole list, trimming names and dropping empty values', () => {
    const doc = setDnsRecords(design(), { zoneId: 'shop', records: [{ name: ' www ', type: 'A', ttl: 30, values: ['web1', ' ', 'web2 '], policy: 'multivalue' }] });
    expect(zoneOf(doc).records).toEqual([{ name: 'www', type: 'A', ttl: 30, values: ['web1', 'web2'], policy: 'multivalue' }]);
    expect(() => setDnsRecords(doc, { zoneId: 'web1', records: [] })).toThrow(/No DNS zone "web1"/);
    expect(newDnsRecord(zoneOf(doc).records, 'web1')).toEqual({ name: 'www2', type: 'A', ttl: 60, values: ['web1'], policy: 'simple' });
  });

  it('a zone dropped from the palette gets a name, records and a place at the top level or in a VPC', () => {
    const empty = parseTopology('{"schema":"topolab/1"}');
    const doc = addNode(empty, { kind: 'dns-zone', position: { x: 0, y: 0 } });
    expect(doc.nodes[0]).toMatchObject({ id: 'zone-1', kind: 'dns-zone', name: 'zone-1.example', records: [] });
  });

  it('keeps the lab DNS answer counts per value from the metrics stream', () => {
    let state = initialLabState();
    expect(dnsAnswerCount(state, 'shop', 'www.shop.example A', '10.0.1.10')).toBeUndefined();
    state = applyMetrics(state, {
      at: 1,
      nodes: [],
      groups: [],
      dns: { server: { queries: 3, udp: 3, tcp: 0, refused: 0, formerr: 0, notimp: 0, servfail: 0, dropped: 0, truncated: 0 }, zones: [{ zoneId: 'shop', name: 'shop.example', queries: 3, nxdomain: 1, nodata: 0, answers: { 'www.shop.example A': { '10.0.1.10': 2 } } }] },
    });
    expect(dnsAnswerCount(state, 'shop', 'www.shop.example A', '10.0.1.10')).toBe(2);
    expect(dnsAnswerCount(state, 'shop', 'www.shop.example A', '10.0.1.11')).toBe(0);
  });
});
