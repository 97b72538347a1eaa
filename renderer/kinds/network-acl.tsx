import type { InspectorProps, RendererKind } from './types.js';

function NetworkAclInspector({ node }: InspectorProps<'network-acl'>) {
  return (
    <p className="muted">
      {node.inbound.length} inbound, {node.outbound.length} outbound rule{node.outbound.length === 1 ? '' : 's'}
    </p>
  );
}

export const networkAclKind: RendererKind<'network-acl'> = {
  icon: (
    <>
      <rect x="3.5" y="4.5" width="17" height="15" rx="1.5" />
      <path d="M3.5 9.5h17M3.5 14.5h17M8 4.5v15" />
    </>
  ),
  color: '#b45309',
  darkColor: '#fbbf24',
  palette: { group: 'Network', rank: 8, hint: 'Drop into a VPC; connect it to subnets' },
  subtitle: (node) => `${node.subnets.length} subnet${node.subnets.length === 1 ? '' : 's'} · ${node.inbound.length} in · ${node.outbound.length} out${node.default ? ' · default' : ''}`,
  Inspector: NetworkAclInspector,
};
