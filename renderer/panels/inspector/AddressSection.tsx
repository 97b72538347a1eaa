import { useMemo } from 'react';
import { DEFAULT_PORTS, TopologyIndex, type AddressableNode, type Topology } from '../../../core/model/index.js';
import type { Diagnostic } from '../../../core/validate/index.js';
import type { Patch } from '../../kinds/types.js';
import { useServices } from '../../lib/context.js';
import { ipProblem } from '../CidrField.js';
import { NumberField, Section, TextField } from '../fields.js';
import { fieldProblem } from './problems.js';

/** Address and port of an addressable node; the port's placeholder is the kind's default (from its descriptor). */
export function AddressSection<N extends AddressableNode>({ doc, node, patch: patchKind, diagnostics }: { doc: Topology; node: N; patch: Patch<N>; diagnostics: readonly Diagnostic[] }) {
  const { editor } = useServices();
  // `ip` and `port` are fields of every addressable kind.
  const patch = patchKind as unknown as Patch<AddressableNode>;
  const seal = () => editor.seal();
  const index = useMemo(() => new TopologyIndex(doc), [doc]);
  const subnet = index.subnetOf(node.id);
  const defaultPort = DEFAULT_PORTS[node.kind];
  return (
    <Section title="Address">
      <TextField
        label="IP address"
        testId="ip"
        value={node.ip ?? ''}
        placeholder="assigned automatically"
        onChange={(v) => patch('ip', v === '' ? undefined : v)}
        onBlur={seal}
        validate={(v) => ipProblem(v, subnet?.cidr, doc.provider) ?? fieldProblem(diagnostics, 'ip')}
        hint={subnet ? `in ${subnet.name ?? subnet.id} (${subnet.cidr})` : node.kind === 'client' ? 'on the internet (outside every VPC): a public address' : 'not in a subnet'}
      />
      <NumberField label="Port" testId="port" value={node.port} placeholder={String(defaultPort || '')} min={1} max={65535} integer onChange={(v) => patch('port', v)} onBlur={seal} />
    </Section>
  );
}
