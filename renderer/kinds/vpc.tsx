import { safeParseCidr } from '../../core/cidr/index.js';
import { CidrField } from '../panels/CidrField.js';
import { LinesField, Section, TextField } from '../panels/fields.js';
import { fieldProblem } from '../panels/inspector/problems.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, RendererKind } from './types.js';

function VpcInspector({ doc, node, patch, diagnostics }: InspectorProps<'vpc'>) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  return (
    <Section title="Network">
      <CidrField label="CIDR" testId="cidr" value={node.cidr} provider={doc.provider} onChange={(v) => patch('cidr', v)} onBlur={seal} extraError={fieldProblem(diagnostics, 'cidr')} />
      <LinesField
        label="Secondary CIDRs"
        testId="secondaryCidrs"
        value={node.secondaryCidrs}
        onChange={(v) => patch('secondaryCidrs', v)}
        onBlur={seal}
        validateLine={(l) => {
          const p = safeParseCidr(l);
          return p.ok ? null : p.problem.message;
        }}
        hint="One per line (up to 5)."
      />
      <TextField label="Region" testId="region" value={node.region ?? ''} placeholder="us-east-1" onChange={(v) => patch('region', v === '' ? undefined : v)} onBlur={seal} />
    </Section>
  );
}

export const vpcKind: RendererKind<'vpc'> = {
  icon: (
    <>
      <path d="M7 17.5a4.5 4.5 0 0 1-.5-8.97A6 6 0 0 1 18 7.5a4 4 0 0 1 0 8H7z" />
      <rect x="9" y="11" width="6" height="4" rx="0.5" />
    </>
  ),
  color: '#2563eb',
  darkColor: '#60a5fa',
  palette: { group: 'Network', rank: 1, hint: 'An isolated network with its own CIDR' },
  subtitle: (node) => node.cidr || 'no CIDR',
  emptyHint: 'Drop subnets, route tables and an internet gateway here',
  Inspector: VpcInspector,
};
