import { AddressSection } from '../panels/inspector/AddressSection.js';
import { Targets } from '../panels/inspector/Targets.js';
import type { InspectorProps, RendererKind } from './types.js';
import { SecurityGroupsSection } from '../panels/inspector/SecurityGroupsSection.js';

function ClientInspector({ doc, node, patch, diagnostics }: InspectorProps<'client'>) {
  return (
    <>
      <AddressSection doc={doc} node={node} patch={patch} diagnostics={diagnostics} />
      <Targets doc={doc} sourceId={node.id} title="Sends traffic to" />
      <SecurityGroupsSection doc={doc} node={node} />
    </>
  );
}

export const clientKind: RendererKind<'client'> = {
  icon: (
    <>
      <rect x="3.5" y="4.5" width="17" height="11" rx="1.5" />
      <path d="M9 19.5h6M12 15.5v4" />
    </>
  ),
  color: '#64748b',
  darkColor: '#94a3b8',
  palette: { group: 'Compute', rank: 3, hint: 'Traffic source: on the internet or in a subnet' },
  Inspector: ClientInspector,
};
