import { CheckboxField, NumberField, Section } from '../panels/fields.js';
import { AddressSection } from '../panels/inspector/AddressSection.js';
import { Targets } from '../panels/inspector/Targets.js';
import { useServices } from '../lib/context.js';
import type { InspectorProps, RendererKind } from './types.js';
import { SecurityGroupsSection } from '../panels/inspector/SecurityGroupsSection.js';

function CacheInspector({ doc, node, patch, diagnostics }: InspectorProps<'cache'>) {
  const { editor } = useServices();
  const seal = () => editor.seal();
  return (
    <>
      <AddressSection doc={doc} node={node} patch={patch} diagnostics={diagnostics} />
      <Section title="Cache">
        <NumberField label="Size (bytes)" testId="maxBytes" value={node.maxBytes} min={0} integer onChange={(v) => patch('maxBytes', v)} onBlur={seal} />
        <NumberField label="Default TTL (s)" testId="defaultTtl" value={node.defaultTtl} min={0} integer onChange={(v) => patch('defaultTtl', v)} onBlur={seal} />
        <CheckboxField label="Internet-facing" testId="internetFacing" checked={node.internetFacing === true} onChange={(v) => patch('internetFacing', v || undefined)} />
      </Section>
      <Targets doc={doc} sourceId={node.id} title="Upstreams" />
      <SecurityGroupsSection doc={doc} node={node} />
    </>
  );
}

export const cacheKind: RendererKind<'cache'> = {
  icon: (
    <>
      <ellipse cx="12" cy="6" rx="7.5" ry="2.5" />
      <path d="M4.5 6v12c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5V6M4.5 12c0 1.4 3.4 2.5 7.5 2.5s7.5-1.1 7.5-2.5" />
      <path d="m13 8.5-2.5 4h3l-2.5 4" />
    </>
  ),
  color: '#ca8a04',
  darkColor: '#facc15',
  palette: { group: 'Traffic', rank: 4, hint: 'HTTP cache in front of an upstream' },
  Inspector: CacheInspector,
};
