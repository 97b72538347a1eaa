import { KIND_LABELS, KIND_TRAITS, TopologyIndex } from '../../core/model/index.js';
import { effectiveGroups } from '../actions/security-groups.js';
import { useServices } from '../lib/context.js';
import { CheckboxField, Section } from '../panels/fields.js';
import { SecurityGroupRulesEditor } from '../panels/FilterRulesEditor.js';
import type { InspectorProps, RendererKind } from './types.js';

function SecurityGroupInspector({ doc, node, patch }: InspectorProps<'security-group'>) {
  const { editor } = useServices();
  const index = new TopologyIndex(doc);
  const members = doc.nodes.filter((n) => KIND_TRAITS[n.kind].securityGroups && effectiveGroups(doc, n.id).ids.includes(node.id));
  return (
    <>
      <Section title="Inbound rules" testId="section-sg-inbound">
        <SecurityGroupRulesEditor doc={doc} groupId={node.id} direction="inbound" rules={node.inbound} />
      </Section>
      <Section title="Outbound rules" testId="section-sg-outbound">
        <SecurityGroupRulesEditor doc={doc} groupId={node.id} direction="outbound" rules={node.outbound} />
      </Section>
      <Section title="Members" testId="section-sg-members">
        <CheckboxField
          label="Default group of its VPC"
          testId="sg-default"
          checked={node.default === true}
          onChange={(on) => patch('default', on ? true : undefined)}
          hint="Nodes of the VPC that list no security group are in it."
        />
        {members.length === 0 ? (
          <p className="muted small">No node is in this group: drop a node on its chip, or add the group from a node's inspector.</p>
        ) : (
          <ul className="chip-list" data-testid="sg-members">
            {members.map((m) => (
              <li key={m.id} className="chip">
                <button type="button" className="chip-link" data-testid={`sg-members-${m.id}`} onClick={() => editor.focusOn([m.id])}>
                  {KIND_LABELS[m.kind]} {index.node(m.id)?.name ?? m.id}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
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
