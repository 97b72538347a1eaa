import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderKubernetes } from '../../../core/export/kubernetes/index.js';
import type { Topology } from '../../../core/model/types.js';
import { exportDesigns, fixture } from './designs.js';

/** DNS-1035 label: what Kubernetes requires of a Service name (and accepts for every object the export writes). */
const DNS_1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A label value: empty, or at most 63 characters of alphanumerics, `-`, `_`, `.`, beginning and ending alphanumeric. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

type Doc = { kind: string; metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };

function manifests(topology: Topology): Doc[] {
  const content = renderKubernetes(topology).files[0]?.content ?? '';
  return parseAllDocuments(content)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null && typeof d === 'object' && 'kind' in d);
}

/** Every `readinessProbe` in the documents. */
function probes(docs: Doc[]): { path?: string }[] {
  const out: { path?: string }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'readinessProbe') out.push(((inner as { httpGet?: { path?: string } }).httpGet ?? {}) as { path?: string });
        walk(inner);
      }
    }
  };
  walk(docs);
  return out;
}

describe.each(exportDesigns())('$name', ({ topology }) => {
  it('every object name is a DNS-1035 label, unique per kind; label values are valid; probe paths are plain', () => {
    const docs = manifests(topology);
    for (const doc of docs) {
      expect(doc.metadata.name, `${doc.kind} name`).toMatch(doc.kind === 'ConfigMap' ? /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/ : DNS_1035);
      for (const [key, value] of Object.entries(doc.metadata.labels ?? {})) {
        expect(value, `label ${key}`).toMatch(LABEL_VALUE);
        expect(key.split('/').at(-1)?.length ?? 0, `label key ${key}`).toBeLessThanOrEqual(63);
      }
    }
    for (const kind of new Set(docs.map((d) => d.kind))) {
      const names = docs.filter((d) => d.kind === kind).map((d) => d.metadata.name);
      expect(new Set(names).size, `${kind} names are unique`).toBe(names.length);
    }
    for (const probe of probes(docs)) if (probe.path !== undefined) expect(probe.path).toMatch(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/);
  });
});

describe('names Kubernetes would refuse', () => {
  const topology = fixture('k8s-names');
  const docs = manifests(topology);
  const nameOf = (id: string, kind = 'Service'): string | undefined => docs.find((d) => d.kind === kind && d.metadata.annotations?.['topolab.io/node'] === id)?.metadata.name ?? docs.find((d) => d.kind === kind && d.metadata.name === id)?.metadata.name;

  it('ids starting with a digit get a letter first, and a later id that mangles the same way gets a suffix', () => {
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    const byNode = new Map(deployments.map((d) => [d.metadata.annotations?.['topolab.io/node'], d.metadata.name]));
    expect(byNode.get('9srv')).toBe('n-9srv');
    expect(byNode.get('1st-backend')).toBe('n-1st-backend');
    expect(byNode.get('n-9srv')).toBe('n-9srv-2');
    expect(byNode.get('Web')).toBe('web');
    expect(byNode.get('web')).toBe('web-2');
    const long = [...byNode.entries()].filter(([id]) => id?.startsWith('a-very-long')).map(([, name]) => name ?? '');
    expect(long).toHaveLength(2);
    expect(new Set(long).size).toBe(2);
    for (const name of long) expect(name.length).toBeLessThanOrEqual(63);
    expect(nameOf('9lb')).toBe('n-9lb');
    expect(docs.find((d) => d.kind === 'Ingress')?.metadata.name).toBe('n-2gw');
  });

  it('names are stable: the same design gives the same names, whatever else is rendered first', () => {
    expect(manifests(structuredClone(topology)).map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(docs.map((d) => `${d.kind}/${d.metadata.name}`));
  });

  it('a check path with a newline and a space is percent-encoded, and the report says so', () => {
    const paths = probes(docs).map((p) => p.path);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toBe('/health%0Acheck%20ok');
    const { report } = renderKubernetes(topology);
    expect(report.approximated).toContainEqual(expect.objectContaining({ nodeId: '9lb', feature: 'health-check-path', detail: expect.stringContaining('/health%0Acheck%20ok') as unknown as string }));
  });

  it('a server whose ip does not parse keeps its own port', () => {
    const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'odd-ip') as { spec: { template: { spec: { containers: { ports: { containerPort: number }[] }[] } } } } | undefined;
    expect(deployment?.spec.template.spec.containers[0]?.ports[0]?.containerPort).toBe(8081);
    const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'odd-ip') as { spec: { ports: { port: number }[] } } | undefined;
    expect(service?.spec.ports[0]?.port).toBe(8081);
  });
});
