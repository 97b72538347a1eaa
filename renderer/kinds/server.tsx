import { NumberField, Section, TextField } from '../panels/fields.js';
import { AddressSection } from '../panels/inspector/AddressSection.js';
import { LatencyField } from '../panels/inspector/LatencyField.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, RendererKind } from './types.js';
import { SecurityGroupsSection } from '../panels/inspector/SecurityGroupsSection.js';

function ServerInspector({ doc, node, patch, diagnostics }: InspectorProps<'server'>) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  return (
    <>
      <AddressSection doc={doc} node={node} patch={patch} diagnostics={diagnostics} />
      <Section title="Behaviour">
        <LatencyField value={node.latencyMs} onChange={(v) => patch('latencyMs', v)} />
        <NumberField label="Error rate (0–1)" testId="errorRate" value={node.errorRate} min={0} max={1} onChange={(v) => patch('errorRate', v)} onBlur={seal} />
        <NumberField label="Weight" testId="weight" value={node.weight} min={0} max={256} integer onChange={(v) => patch('weight', v)} onBlur={seal} />
        <TextField label="Command" testId="command" value={node.command ?? ''} placeholder="built-in echo server" onChange={(v) => patch('command', v === '' ? undefined : v)} onBlur={seal} hint="Run instead of the built-in app, with PORT and HOST set." />
      </Section>
      <SecurityGroupsSection doc={doc} node={node} />
    </>
  );
}

export const serverKind: RendererKind<'server'> = {
  icon: (
    <>
      <rect x="4.5" y="3.5" width="15" height="7" rx="1.5" />
      <rect x="4.5" y="13.5" width="15" height="7" rx="1.5" />
      <path d="M8 7h.01M8 17h.01M12 7h4M12 17h4" />
    </>
  ),
  color: '#475569',
  darkColor: '#94a3b8',
  palette: { group: 'Compute', rank: 1, hint: 'Drop into a subnet: gets the next free address' },
  Inspector: ServerInspector,
};
