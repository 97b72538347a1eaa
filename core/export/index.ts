import type { Topology } from '../model/types.js';
import { renderBind } from './bind/index.js';
import { renderCompose } from './compose/index.js';
import { renderDrawio } from './drawio/index.js';
import { renderHaproxy } from './haproxy/index.js';
import { renderKubernetes } from './kubernetes/index.js';
import { renderNginx } from './nginx/index.js';
import type { ExportOptions } from './options.js';
import { EXPORT_DESCRIPTIONS, type ExportFormat, type ExportResult } from './report.js';
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
  nginx: { format: 'nginx', description: EXPORT_DESCRIPTIONS.nginx, render: renderNginx },
  haproxy: { format: 'haproxy', description: EXPORT_DESCRIPTIONS.haproxy, render: renderHaproxy },
  terraform: { format: 'terraform', description: EXPORT_DESCRIPTIONS.terraform, render: renderTerraform },
  compose: { format: 'compose', description: EXPORT_DESCRIPTIONS.compose, render: renderCompose },
  kubernetes: { format: 'kubernetes', description: EXPORT_DESCRIPTIONS.kubernetes, render: renderKubernetes },
  drawio: { format: 'drawio', description: EXPORT_DESCRIPTIONS.drawio, render: renderDrawio },
  bind: { format: 'bind', description: EXPORT_DESCRIPTIONS.bind, render: renderBind },
};

/** Renders a design for one target. Pure: the same design and options always give the same bytes. */
export function renderExport(topology: Topology, format: ExportFormat, options: ExportOptions = {}): ExportResult {
  return EXPORTERS[format].render(topology, options);
}
