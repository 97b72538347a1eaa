import type { InspectorProps, RendererKind } from './types.js';

function SecurityGroupInspector({ node }: InspectorProps<'security-group'>) {
  return (
    <p className="muted">
      {node.inbound.length} inbound, {node.outbound.length} outbound rule{node.outbound.length === 1 ? '' : 's'}
    </p>
  );
}

export const securityGroupKind: RendererKind<'security-group'> = {
  icon: (
    <>
      <path d="M12 3.5l7 2.5v5.5c0 4.2-2.9 7.6-7 9-4.1-1.4-7-4.8-7-9V6z" />
      <path d="M9 12l2 2 4-4" />
    </>
  ),
  color: '#be123c',
  darkColor: '#fb7185',
  palette: { group: 'Network', rank: 7, hint: 'Drop into a VPC; drop nodes on its chip to add them' },
  subtitle: (node) => `${node.inbound.length} in · ${node.outbound.length} out${node.default ? ' · default' : ''}`,
  Inspector: SecurityGroupInspector,
};
