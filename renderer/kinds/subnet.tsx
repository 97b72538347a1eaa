import { TopologyIndex, type Topology } from '../../core/model/index.js';
import { CidrField } from '../panels/CidrField.js';
import { Section, TextField } from '../panels/fields.js';
import { fieldProblem } from '../panels/inspector/problems.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, RendererKind } from './types.js';

/** The subnet's route table (explicit association), or a note that it uses the VPC's main table. */
function SubnetRouting({ doc, subnetId }: { doc: Topology; subnetId: string }) {
  const { editor } = useServices();
  const tables = doc.nodes.filter((n) => n.kind === 'route-table' && n.subnets.includes(subnetId));
  return (
    <div className="field">
      <label>Route table</label>
      {tables.length === 0 ? (
        <span className="muted">none (uses the VPC's main table) — connect a route table to this subnet</span>
      ) : (
        tables.map((t) => (
          <button key={t.id} type="button" className="link-button" onClick={() => editor.focusOn([t.id])}>
            {t.name ?? t.id}
          </button>
        ))
      )}
    </div>
  );
}

function SubnetInspector({ doc, node, patch, diagnostics }: InspectorProps<'subnet'>) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  const vpc = new TopologyIndex(doc).vpcOf(node.id);
  return (
    <Section title="Network">
      <CidrField label="CIDR" testId="cidr" value={node.cidr} provider={doc.provider} onChange={(v) => patch('cidr', v)} onBlur={seal} extraError={fieldProblem(diagnostics, 'cidr')} />
      <TextField label="Zone" testId="zone" value={node.zone ?? ''} placeholder="us-east-1a" onChange={(v) => patch('zone', v === '' ? undefined : v)} onBlur={seal} hint={vpc ? `in VPC ${vpc.name ?? vpc.id} (${vpc.cidr})` : undefined} />
      <SubnetRouting doc={doc} subnetId={node.id} />
    </Section>
  );
}

export const subnetKind: RendererKind<'subnet'> = {
  icon: (
    <>
      <rect x="3.5" y="4.5" width="17" height="15" rx="2" strokeDasharray="2.5 2" />
      <path d="M8 12h8M8 9h5M8 15h6" />
    </>
  ),
  color: '#0891b2',
  darkColor: '#22d3ee',
  palette: { group: 'Network', rank: 2, hint: 'Drop into a VPC: gets the next free CIDR' },
  subtitle: (node) => node.cidr || 'no CIDR',
  emptyHint: 'Drop servers, balancers, proxies or a NAT gateway here',
  Inspector: SubnetInspector,
};
