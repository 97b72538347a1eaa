import { LinesField, Section } from '../panels/fields.js';
import { AddressSection } from '../panels/inspector/AddressSection.js';
import { Targets } from '../panels/inspector/Targets.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, RendererKind } from './types.js';
import { SecurityGroupsSection } from '../panels/inspector/SecurityGroupsSection.js';

function ForwardProxyInspector({ doc, node, patch, diagnostics }: InspectorProps<'forward-proxy'>) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  return (
    <>
      <AddressSection doc={doc} node={node} patch={patch} diagnostics={diagnostics} />
      <Section title="Access">
        <LinesField label="Allow" testId="allow" value={node.allow} onChange={(v) => patch('allow', v)} onBlur={seal} hint="Host names, *.domain wildcards or CIDRs, one per line." />
        <LinesField label="Deny (checked first)" testId="deny" value={node.deny} onChange={(v) => patch('deny', v)} onBlur={seal} />
      </Section>
      <Targets doc={doc} sourceId={node.id} title="Destinations" />
      <SecurityGroupsSection doc={doc} node={node} />
    </>
  );
}

export const forwardProxyKind: RendererKind<'forward-proxy'> = {
  icon: (
    <>
      <path d="M12 3.5 19.5 6v5.5c0 4.5-3.2 7.8-7.5 9-4.3-1.2-7.5-4.5-7.5-9V6z" />
      <path d="M15.5 12.5h-7M11 10l-2.5 2.5L11 15" />
    </>
  ),
  color: '#9333ea',
  darkColor: '#c084fc',
  palette: { group: 'Traffic', rank: 3, hint: 'Egress proxy with allow and deny lists' },
  Inspector: ForwardProxyInspector,
};
