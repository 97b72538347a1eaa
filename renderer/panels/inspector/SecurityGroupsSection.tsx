import { TopologyIndex, type Topology, type TopologyNode } from '../../../core/model/index.js';
import { effectiveGroups, joinSecurityGroup, leaveSecurityGroup } from '../../actions/security-groups.js';
import { useServices } from '../../lib/context.js';
import { Section } from '../fields.js';

/**
 * The security groups a node (or an auto-scaling group's instances) is in: chips that
 * remove, a picker of the VPC's other groups that adds, and what applies when it lists none
 * (its VPC's default group, or nothing). Dropping the node on a group's chip on the canvas
 * does the same as the picker.
 */
export function SecurityGroupsSection({ doc, node }: { doc: Topology; node: TopologyNode }) {
  const { editor } = useServices();
  const index = new TopologyIndex(doc);
  const vpc = index.vpcOf(node.id);
  const { ids, implicit } = effectiveGroups(doc, node.id);
  const label = (id: string) => {
    const g = index.node(id);
    return g?.name ?? id;
  };
  const candidates = vpc ? index.ofKind('security-group').filter((g) => g.parent === vpc.id && !ids.includes(g.id)) : [];
  return (
    <Section title="Security groups" testId="section-security-groups">
      {!vpc ? (
        <p className="muted small">On the internet: no security group filters it.</p>
      ) : (
        <div className="field" data-testid="security-groups">
          <ul className="chip-list">
            {ids.map((id) => (
              <li key={id} className={`chip sg-chip${implicit ? ' is-implicit' : ''}`} data-testid={`sg-member-${id}`}>
                <button type="button" className="chip-link" onClick={() => editor.focusOn([id])}>
                  {label(id)}
                </button>
                {implicit ? (
                  <span className="muted small">(default)</span>
                ) : (
                  <button type="button" aria-label={`Remove from ${label(id)}`} data-testid={`sg-leave-${id}`} onClick={() => editor.apply(`Take ${node.id} out of ${id}`, (d) => leaveSecurityGroup(d, { nodeId: node.id, groupId: id }))}>
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
          {ids.length === 0 ? <p className="muted small" data-testid="sg-unfiltered">In no security group: nothing filters it (its VPC has no default group).</p> : null}
          {candidates.length > 0 ? (
            <select data-testid="sg-join" value="" onChange={(e) => e.target.value && editor.apply(`Put ${node.id} in ${e.target.value}`, (d) => joinSecurityGroup(d, { nodeId: node.id, groupId: e.target.value }))}>
              <option value="">+ Add to a security group…</option>
              {candidates.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name ?? g.id}
                  {g.default ? ' (default)' : ''}
                </option>
              ))}
            </select>
          ) : null}
        </div>
      )}
    </Section>
  );
}
