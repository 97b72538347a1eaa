import { Section } from '../panels/fields.js';
import type { InspectorProps, RendererKind } from './types.js';

function PeeringInspector({ node }: InspectorProps<'peering'>) {
  return (
    <Section title="Peering">
      <p>
        <code>{node.vpcs[0]}</code> ↔ <code>{node.vpcs[1]}</code>
      </p>
      <p className="muted">Each side needs a route to the other VPC's CIDR with this peering as target.</p>
    </Section>
  );
}

export const peeringKind: RendererKind<'peering'> = {
  icon: (
    <>
      <circle cx="7" cy="12" r="3.5" />
      <circle cx="17" cy="12" r="3.5" />
      <path d="M10.5 12h3" />
    </>
  ),
  color: '#4f46e5',
  darkColor: '#818cf8',
  palette: { group: 'Network', rank: 6, hint: 'Connect two VPCs to peer them' },
  subtitle: (node) => node.vpcs.join(' ↔ '),
  Inspector: PeeringInspector,
};
