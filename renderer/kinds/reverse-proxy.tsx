import { Section } from '../panels/fields.js';
import { AddressSection } from '../panels/inspector/AddressSection.js';
import { ForwardingFields } from '../panels/inspector/ForwardingFields.js';
import { ProxyRules } from '../panels/inspector/ProxyRules.js';
import { Targets } from '../panels/inspector/Targets.js';
import type { InspectorProps, RendererKind } from './types.js';
import { SecurityGroupsSection } from '../panels/inspector/SecurityGroupsSection.js';

function ReverseProxyInspector({ doc, node, patch, diagnostics }: InspectorProps<'reverse-proxy'>) {
  return (
    <>
      <AddressSection doc={doc} node={node} patch={patch} diagnostics={diagnostics} />
      <Section title="Proxy">
        <ForwardingFields node={node} patch={patch} />
      </Section>
      <Targets doc={doc} sourceId={node.id} title="Upstreams" />
      <ProxyRules doc={doc} node={node} patch={patch} />
      <SecurityGroupsSection doc={doc} node={node} />
    </>
  );
}

export const reverseProxyKind: RendererKind<'reverse-proxy'> = {
  icon: (
    <>
      <path d="M12 3.5 19.5 6v5.5c0 4.5-3.2 7.8-7.5 9-4.3-1.2-7.5-4.5-7.5-9V6z" />
      <path d="M8.5 12.5h7M13 10l2.5 2.5L13 15" />
    </>
  ),
  color: '#c026d3',
  darkColor: '#e879f9',
  palette: { group: 'Traffic', rank: 2, hint: 'Drop into a subnet; connect it to upstreams' },
  Inspector: ReverseProxyInspector,
};
