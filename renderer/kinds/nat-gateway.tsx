import { AddressSection } from '../panels/inspector/AddressSection.js';
import type { InspectorProps, RendererKind } from './types.js';

function NatGatewayInspector({ doc, node, patch, diagnostics }: InspectorProps<'nat-gateway'>) {
  return <AddressSection doc={doc} node={node} patch={patch} diagnostics={diagnostics} />;
}

export const natGatewayKind: RendererKind<'nat-gateway'> = {
  icon: (
    <>
      <rect x="3.5" y="5.5" width="17" height="13" rx="2" />
      <path d="M7 10h8l-2.5-2.5M17 14H9l2.5 2.5" />
    </>
  ),
  color: '#0d9488',
  darkColor: '#2dd4bf',
  palette: { group: 'Network', rank: 5, hint: 'Drop into a public subnet' },
  Inspector: NatGatewayInspector,
};
