import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { renderKubernetes } from '../../../core/export/kubernetes/index.js';
import { exportDesigns } from './fixtures.js';
import { run, tempDir } from './tools.js';

/**
 * Real kubectl on every Kubernetes export: `kubectl apply --dry-run=client --validate=false`.
 * kubectl needs an API server for discovery (which kinds exist, under which resources) and
 * asks whether each object exists; with no cluster here, a stub on 127.0.0.1 (port 0)
 * answers exactly that: the discovery documents of the five kinds the export writes, and
 * 404 for every object. Everything else (YAML parsing, kinds, apiVersions, object shape,
 * names in URLs) is kubectl's own. Name rules are checked in test/unit/export/kubernetes-names.
 */
const KUBECTL = '/usr/bin/kubectl';
const missing = existsSync(KUBECTL) ? undefined : `${KUBECTL} is not installed`;
if (missing) console.log(`kubectl.test.ts skipped: ${missing}; install kubectl to run it`);

const resources = (groupVersion: string, list: [string, string][]) => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion,
  resources: list.map(([name, kind]) => ({ name, singularName: '', namespaced: true, kind, verbs: ['create', 'get', 'list', 'patch', 'update', 'delete'] })),
});
const group = (name: string, version: string) => ({ name, versions: [{ groupVersion: `${name}/${version}`, version }], preferredVersion: { groupVersion: `${name}/${version}`, version } });
const DISCOVERY: Record<string, unknown> = {
  '/version': { major: '1', minor: '31', gitVersion: 'v1.31.0' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [group('apps', 'v1'), group('networking.k8s.io', 'v1'), group('autoscaling', 'v2')] },
  '/api/v1': resources('v1', [['services', 'Service'], ['configmaps', 'ConfigMap']]),
  '/apis/apps/v1': resources('apps/v1', [['deployments', 'Deployment']]),
  '/apis/networking.k8s.io/v1': resources('networking.k8s.io/v1', [['ingresses', 'Ingress'], ['networkpolicies', 'NetworkPolicy']]),
  '/apis/autoscaling/v2': resources('autoscaling/v2', [['horizontalpodautoscalers', 'HorizontalPodAutoscaler']]),
};

let server: Server;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (missing) return;
  server = createServer((req, res) => {
    const doc = DISCOVERY[(req.url ?? '').split('?')[0] ?? ''];
    res.setHeader('content-type', 'application/json');
    if (doc !== undefined && req.method === 'GET') res.end(JSON.stringify(doc));
    else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ({ dir, cleanup } = await tempDir('topolab-kubectl-'));
  const { port } = server.address() as AddressInfo;
  await writeFile(
    join(dir, 'kubeconfig'),
    `apiVersion: v1\nkind: Config\nclusters: [{name: stub, cluster: {server: "http://127.0.0.1:${port}"}}]\ncontexts: [{name: stub, context: {cluster: stub, namespace: default}}]\ncurrent-context: stub\nusers: []\n`,
  );
});

afterAll(async () => {
  if (missing) return;
  server.close();
  await cleanup();
});

describe.skipIf(missing !== undefined)('kubectl apply --dry-run=client', () => {
  it.each(exportDesigns().map((d) => [d.name, d.topology] as const))('%s', async (name, topology) => {
    const content = renderKubernetes(topology).files[0]?.content ?? '';
    const objects = parseAllDocuments(content)
      .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
      .filter((d): d is { kind: string; metadata?: { name?: string } } => d?.kind !== undefined);
    if (objects.length === 0) {
      // A design with nothing to run in a cluster writes one empty document, which kubectl would refuse as "no objects passed to apply".
      expect(content).toMatch(/\n\{\}\n$/);
      return;
    }
    const file = join(dir, `${name.replace(/[^A-Za-z0-9.-]/g, '_')}.yaml`);
    await writeFile(file, content);
    const result = await run(KUBECTL, ['apply', '--dry-run=client', '--validate=false', '-f', file], 60_000, {
      KUBECONFIG: join(dir, 'kubeconfig'),
      HOME: dir,
    });
    expect(result.code, result.output).toBe(0);
    const created = result.output.split('\n').filter((line) => line.endsWith(' created (dry run)'));
    expect(created, result.output).toHaveLength(objects.length);
    for (const object of objects) expect(result.output).toContain(`/${object.metadata?.name ?? ''} created (dry run)`);
  });
});
