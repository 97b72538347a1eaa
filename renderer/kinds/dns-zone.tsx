import { Section } from '../panels/fields.js';
import { DnsRecordsEditor } from '../panels/DnsRecordsEditor.js';
import type { InspectorProps, RendererKind } from './types.js';

function DnsZoneInspector({ doc, node }: InspectorProps<'dns-zone'>) {
  return (
    <Section title="Records" testId="section-dns-records">
      <p className="muted">{node.parent ? `Private zone of ${node.parent}: answered only to its clients.` : 'Public zone.'} Values are node ids or addresses; each node a record names is linked on the canvas.</p>
      <DnsRecordsEditor doc={doc} zone={node} />
    </Section>
  );
}

export const dnsZoneKind: RendererKind<'dns-zone'> = {
  icon: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M3.5 12h17M12 3.5c2.5 2.4 3.6 5.3 3.6 8.5s-1.1 6.1-3.6 8.5M12 3.5C9.5 5.9 8.4 8.8 8.4 12s1.1 6.1 3.6 8.5" />
    </>
  ),
  color: '#0e7490',
  darkColor: '#22d3ee',
  palette: { group: 'Names', rank: 1, hint: 'Route 53 zone: public at the top level, private inside a VPC' },
  subtitle: (node) => `${node.parent ? 'private · ' : ''}${node.records.length} record${node.records.length === 1 ? '' : 's'}`,
  Inspector: DnsZoneInspector,
};
