import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { safeParseIp } from '../../../core/cidr/address.js';
import { containsAddress, safeParseCidr } from '../../../core/cidr/block.js';
import { renderCompose } from '../../../core/export/compose/index.js';
import { renderDrawio } from '../../../core/export/drawio/index.js';
import { renderKubernetes } from '../../../core/export/kubernetes/index.js';
import { DesignView } from '../../../core/export/design.js';
import { exportDesigns } from './fixtures.js';
import { haproxyCheck, run, tempDir } from './tools.js';

/** The parts of the Compose specification the export writes. */
const ComposeSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  services: z.record(
    z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/),
    z.strictObject({
      image: z.string().regex(/^[a-z0-9./_-]+:[A-Za-z0-9._-]+$/),
      command: z.array(z.string()).optional(),
      volumes: z.array(z.string().regex(/^\.\/[^:]+:\/[^:]+:ro$/)).optional(),
      networks: z.record(z.string(), z.union([z.null(), z.strictObject({ ipv4_address: z.string().optional(), ipv6_address: z.string().optional() })])),
      ports: z.array(z.string().regex(/^127\.0\.0\.1:\d+:\d+$/)).optional(),
      depends_on: z.array(z.string()).optional(),
      environment: z.strictObject({ TOPOLAB_DEPENDENCIES: z.string().regex(/^[A-Za-z0-9._:-]+=(http|tcp):\/\/[^ ]+:\d+( [A-Za-z0-9._:-]+=(http|tcp):\/\/[^ ]+:\d+)*$/) }).optional(),
      sysctls: z.record(z.string(), z.string()).optional(),
      labels: z.record(z.string(), z.string()),
      restart: z.literal('unless-stopped'),
    }),
  ),
  networks: z.record(
    z.string(),
    z.strictObject({
      driver: z.literal('bridge'),
      enable_ipv6: z.literal(true).optional(),
      internal: z.literal(true).optional(),
      ipam: z.strictObject({ config: z.array(z.strictObject({ subnet: z.string() })).length(1) }),
      labels: z.record(z.string(), z.string()),
    }),
  ).optional(),
});

const Name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
const Metadata = z.object({ name: Name, labels: z.record(z.string(), z.string().max(63)).optional(), annotations: z.record(z.string(), z.string()).optional() });
const BackendRef = z.strictObject({ service: z.strictObject({ name: Name, port: z.strictObject({ number: z.number().int().min(1).max(65535) }) }) });

/** The Kubernetes objects the export writes, with the fields it sets. */
const ManifestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('Deployment'),
    metadata: Metadata,
    spec: z.strictObject({
      replicas: z.number().int().min(0),
      selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }),
      template: z.strictObject({
        metadata: z.strictObject({ labels: z.record(z.string(), z.string()) }),
        spec: z.strictObject({
          containers: z.array(z.object({ name: z.string(), image: z.string(), ports: z.array(z.object({ containerPort: z.number() })) })).min(1),
          volumes: z.array(z.strictObject({ name: z.string(), configMap: z.strictObject({ name: Name }) })).optional(),
        }),
      }),
    }),
  }),
  z.strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('Service'),
    metadata: Metadata,
    spec: z.object({ selector: z.record(z.string(), z.string()), ports: z.array(z.object({ port: z.number().int(), targetPort: z.union([z.string(), z.number()]) })).min(1) }),
  }),
  z.strictObject({ apiVersion: z.literal('v1'), kind: z.literal('ConfigMap'), metadata: Metadata, data: z.record(z.string(), z.string()) }),
  z.strictObject({
    apiVersion: z.literal('networking.k8s.io/v1'),
    kind: z.literal('Ingress'),
    metadata: Metadata,
    spec: z.strictObject({
      defaultBackend: BackendRef.optional(),
      rules: z.array(z.strictObject({ host: z.string().optional(), http: z.strictObject({ paths: z.array(z.strictObject({ path: z.string().startsWith('/'), pathType: z.literal('Prefix'), backend: BackendRef })).min(1) }) })).optional(),
    }),
  }),
  z.strictObject({
    apiVersion: z.literal('networking.k8s.io/v1'),
    kind: z.literal('NetworkPolicy'),
    metadata: Metadata,
    spec: z.strictObject({
      podSelector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }),
      policyTypes: z.tuple([z.literal('Ingress')]),
      ingress: z.array(
        z.strictObject({
          from: z.array(z.strictObject({ podSelector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }) })).min(1),
          ports: z.array(z.strictObject({ protocol: z.literal('TCP'), port: z.number().int().min(1).max(65535) })).min(1),
        }),
      ),
    }),
  }),
  z.strictObject({
    apiVersion: z.literal('autoscaling/v2'),
    kind: z.literal('HorizontalPodAutoscaler'),
    metadata: Metadata,
    spec: z.object({ scaleTargetRef: z.strictObject({ apiVersion: z.literal('apps/v1'), kind: z.literal('Deployment'), name: Name }), minReplicas: z.number().int().min(1), maxReplicas: z.number().int().min(1), metrics: z.array(z.unknown()).min(1) }),
  }),
]);

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe.each(exportDesigns())('$name', ({ topology }) => {
  it('compose.yaml passes the schema, uses the subnets\' CIDRs and designed addresses; its HAProxy configs pass haproxy -c and its Squid configs squid -k parse', async () => {
    const { files } = renderCompose(topology);
    const compose = ComposeSchema.parse(parse(files.find((f) => f.path === 'compose.yaml')?.content ?? ''));
    const subnets = topology.nodes.flatMap((n) => (n.kind === 'subnet' ? [n.cidr] : [])).sort();
    expect(Object.values(compose.networks ?? {}).map((n) => n.ipam.config[0]?.subnet).sort()).toEqual(subnets);
    const view = new DesignView(topology);
    const designed = new Set([...view.addresses.values()].map((a) => a.ip));
    for (const group of view.index.ofKind('autoscaling-group')) for (const instance of view.instancesOf(group.id)) designed.add(instance.ip);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const network of Object.keys(service.networks)) expect(compose.networks, `${name} uses ${network}`).toHaveProperty(network);
      for (const dependency of service.depends_on ?? []) expect(compose.services).toHaveProperty(dependency);
      // A volume mounts an exported file, or a folder of them (an API gateway's secret files).
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        expect(
          files.some((f) => `./${f.path}` === source || `./${f.path}`.startsWith(`${source}/`)),
          `${name} mounts ${source}, an exported file or folder`,
        ).toBe(true);
      }
      // Every fixed address is a designed one and lies in the CIDR of the network it is given on.
      for (const [network, settings] of Object.entries(service.networks)) {
        const address = settings?.ipv4_address ?? settings?.ipv6_address;
        if (!address) continue;
        expect(designed, `${address} is a designed address`).toContain(address);
        const block = safeParseCidr(compose.networks?.[network]?.ipam.config[0]?.subnet ?? '');
        const ip = safeParseIp(address);
        expect(block.ok && ip !== undefined && containsAddress(block.block, ip), `${address} in ${network}`).toBe(true);
      }
    }
    for (const file of files.filter((f) => f.path.startsWith('squid/'))) {
      const { dir, cleanup } = await tempDir('topolab-squid-');
      cleanups.push(cleanup);
      const path = join(dir, 'squid.conf');
      await writeFile(path, file.content);
      const result = await run('squid', ['-k', 'parse', '-f', path]);
      expect(result.output).not.toMatch(/ERROR|FATAL|WARNING|unrecognized/);
      expect(result.code).toBe(0);
    }
    for (const file of files.filter((f) => f.path.startsWith('haproxy/'))) {
      const { dir, cleanup } = await tempDir('topolab-compose-');
      cleanups.push(cleanup);
      const result = await haproxyCheck(dir, file.content);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    }
  });

  it('kubernetes.yaml documents pass the schema and every reference resolves', () => {
    const [file] = renderKubernetes(topology).files;
    const documents = parseAllDocuments(file?.content ?? '');
    const manifests = documents.map((d) => d.toJS() as unknown).filter((d) => d !== null && !(typeof d === 'object' && Object.keys(d as object).length === 0)).map((d) => ManifestSchema.parse(d));
    const services = new Set(manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name));
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    for (const manifest of manifests) {
      if (manifest.kind === 'Ingress') {
        const refs = [manifest.spec.defaultBackend, ...(manifest.spec.rules ?? []).flatMap((r) => r.http.paths.map((p) => p.backend))].filter((b) => b !== undefined);
        for (const ref of refs) expect(services).toContain(ref.service.name);
      }
      if (manifest.kind === 'Deployment') {
        // A mounted ConfigMap exists in the same file.
        for (const volume of manifest.spec.template.spec.volumes ?? []) expect(names).toContain(`ConfigMap/${volume.configMap.name}`);
      }
      if (manifest.kind === 'HorizontalPodAutoscaler') expect(deployments.map((d) => d.metadata.name)).toContain(manifest.spec.scaleTargetRef.name);
      if (manifest.kind === 'NetworkPolicy') {
        // The policy and every source it admits select a Deployment's pods, on a port they listen on.
        const selects = (labels: Record<string, string>) => deployments.filter((d) => Object.entries(labels).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
        const [target] = selects(manifest.spec.podSelector.matchLabels);
        expect(target, `NetworkPolicy ${manifest.metadata.name} selects no pods`).toBeDefined();
        for (const rule of manifest.spec.ingress) {
          for (const source of rule.from) expect(selects(source.podSelector.matchLabels).length, `${manifest.metadata.name} admits pods that exist`).toBe(1);
          for (const port of rule.ports) expect(target?.spec.template.spec.containers.flatMap((c) => c.ports.map((p) => p.containerPort))).toContain(port.port);
        }
      }
      if (manifest.kind === 'Service') {
        // Every Service selects at least one Deployment's pods.
        const selected = deployments.filter((d) => Object.entries(manifest.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
        expect(selected.length, `Service ${manifest.metadata.name} selects no pods`).toBeGreaterThan(0);
      }
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('topology.drawio is well-formed XML with every node and edge, nested in its container', () => {
    const [file] = renderDrawio(topology).files;
    expect(XMLValidator.validate(file?.content ?? '')).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => name === 'mxCell' }).parse(file?.content ?? '') as {
      mxfile: { diagram: { mxGraphModel: { root: { mxCell: { id: string; parent?: string; source?: string; target?: string; edge?: string; vertex?: string }[] } } } };
    };
    const cells = parsed.mxfile.diagram.mxGraphModel.root.mxCell;
    const byId = new Map(cells.map((c) => [c.id, c]));
    for (const node of topology.nodes) {
      const cell = byId.get(`node:${node.id}`);
      expect(cell, node.id).toBeDefined();
      expect(cell?.parent).toBe(node.parent !== undefined ? `node:${node.parent}` : '1');
    }
    for (const edge of topology.edges) {
      const cell = byId.get(`edge:${edge.id}`);
      expect(cell?.source).toBe(`node:${edge.from}`);
      expect(cell?.target).toBe(`node:${edge.to}`);
    }
    // Parents are defined before their children, as draw.io reads them in order.
    const seen = new Set<string>();
    for (const cell of cells) {
      if (cell.parent !== undefined) expect(seen.has(cell.parent), `${cell.id} before its parent`).toBe(true);
      seen.add(cell.id);
    }
  });
});
