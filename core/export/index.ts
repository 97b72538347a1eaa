import type { Topology } from '../model/types.js';
import { renderBind } from './bind/index.js';
import { renderCompose } from './compose/index.js';
import { renderDrawio } from './drawio/index.js';
import { renderHaproxy } from './haproxy/index.js';
import { renderKubernetes } from './kubernetes/index.js';
import { renderNginx } from './nginx/index.js';
import type { ExportOptions } from './options.js';
import type { ExportFormat, ExportResult } from './report.js';
import { renderTerraform } from './terraform/index.js';

export * from './report.js';
export type { ExportOptions } from './options.js';
export { mapEndpoint, splitHostPort } from './options.js';

/** One export target: what it writes and its pure renderer. */
export interface Exporter {
  format: ExportFormat;
  /** One line for `--help` and the export menu. */
  description: string;
  render(topology: Topology, options?: ExportOptions): ExportResult;
}

/** Every target, in the order menus list them. */
export const EXPORTERS: Readonly<Record<ExportFormat, Exporter>> = {
  nginx: { format: 'nginx', description: 'nginx.conf for the balancers, reverse proxies and caches', render: renderNginx },
  haproxy: { format: 'haproxy', description: 'haproxy.cfg for the balancers, reverse proxies and caches', render: renderHaproxy },
  terraform: { format: 'terraform', description: 'Terraform for AWS: main.tf, variables.tf, outputs.tf', render: renderTerraform },
  compose: { format: 'compose', description: 'compose.yaml running the design on one Docker host', render: renderCompose },
  kubernetes: { format: 'kubernetes', description: 'Deployments, Services, Ingress and HPAs', render: renderKubernetes },
  drawio: { format: 'drawio', description: 'a draw.io diagram with nested VPC and subnet containers', render: renderDrawio },
  bind: { format: 'bind', description: 'BIND zone files for the DNS zones (any authoritative server)', render: renderBind },
};

/** Renders a design for one target. Pure: the same design and options always give the same bytes. */
export function renderExport(topology: Topology, format: ExportFormat, options: ExportOptions = {}): ExportResult {
  return EXPORTERS[format].render(topology, options);
}
