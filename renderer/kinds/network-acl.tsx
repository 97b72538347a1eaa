import type { Topology } from '../../core/model/index.js';
import { associateAclSubnet } from '../actions/security-groups.js';
import { useServices } from '../lib/context.js';
import { CheckboxField, Section } from '../panels/fields.js';
import { NetworkAclRulesEditor } from '../panels/FilterRulesEditor.js';
import type { InspectorProps, Patch, RendererKind } from './types.js';

/** The subnets an ACL sits at: chips that remove, a picker of its VPC's other subnets (one in another ACL moves here, as in AWS). */
function AclSubnets({ doc, node, patch }: { doc: Topology; node: InspectorProps<'network-acl'>['node']; patch: Patch<InspectorProps<'network-acl'>['node']> }) {
  const { editor } = useServices();
  const candidates = doc.nodes.filter((n) => n.kind === 'subnet' && n.parent === node.parent && !node.subnets.includes(n.id));
  const elsewhere = (id: string) => doc.nodes.find((n) => n.kind === 'network-acl' && n.id !== node.id && n.subnets.includes(id))?.id;
  return (
    <div className="field" data-testid="acl-subnets">
      <label>Subnets</label>
      <ul className="chip-list">
        {node.subnets.map((s) => (
          <li key={s} className="chip" data-testid={`acl-subnet-${s}`}>
            {s}
            <button
              type="button"
              aria-label={`Remove subnet ${s}`}
              onClick={() => {
                patch('subnets', node.subnets.filter((x) => x !== s));
                editor.seal();
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {candidates.length > 0 ? (
        <select
          data-testid="acl-add-subnet"
          value=""
          onChange={(e) => {
            const subnetId = e.target.value;
            if (subnetId) editor.apply(`Associate ${subnetId} with ${node.id}`, (d) => associateAclSubnet(d, { aclId: node.id, subnetId }));
          }}
        >
          <option value="">+ Associate a subnet…</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name ?? c.id} ({'cidr' in c ? c.cidr : ''}){elsewhere(c.id) ? ` · moves from ${elsewhere(c.id)}` : ''}
            </option>
          ))}
        </select>
      ) : null}
    </div>
  );
}

function NetworkAclInspector({ doc, node, patch }: InspectorProps<'network-acl'>) {
  return (
    <>
      <Section title="Subnets" testId="section-acl-subnets">
        <CheckboxField label="Default ACL of its VPC" testId="acl-default" checked={node.default === true} onChange={(on) => patch('default', on ? true : undefined)} hint="Subnets that no ACL lists use it." />
        <AclSubnets doc={doc} node={node} patch={patch} />
      </Section>
      <Section title="Inbound rules" testId="section-acl-inbound">
        <NetworkAclRulesEditor aclId={node.id} direction="inbound" rules={node.inbound} />
      </Section>
      <Section title="Outbound rules" testId="section-acl-outbound">
        <NetworkAclRulesEditor aclId={node.id} direction="outbound" rules={node.outbound} />
      </Section>
    </>
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
  palette: { group: 'Network', rank: 8, hint: 'Drop into a VPC; pick its subnets in the inspector' },
  subtitle: (node) => `${node.subnets.length} subnet${node.subnets.length === 1 ? '' : 's'} · ${node.inbound.length} in · ${node.outbound.length} out${node.default ? ' · default' : ''}`,
  Inspector: NetworkAclInspector,
};
