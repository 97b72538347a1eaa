/** Which export targets exist; the CLI flag and the API input use exactly these names. */
export const EXPORT_FORMATS = ['nginx', 'haproxy', 'terraform', 'compose', 'kubernetes', 'drawio'] as const;

/** One export target. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One line per target, for `--help` and the export menu. */
export const EXPORT_DESCRIPTIONS: Readonly<Record<ExportFormat, string>> = {
  nginx: 'nginx.conf for the balancers, reverse proxies and caches',
  haproxy: 'haproxy.cfg for the balancers, reverse proxies and caches',
  terraform: 'Terraform for AWS: main.tf, variables.tf, outputs.tf',
  compose: 'compose.yaml running the design on one Docker host',
  kubernetes: 'Deployments, Services, Ingress and HPAs',
  drawio: 'a draw.io diagram with nested VPC and subnet containers',
};

/** One line of an export report: a feature of the design and what became of it. */
export interface ReportEntry {
  /** The node the entry is about, when it is about one. */
  nodeId?: string;
  /** Short name of the design feature, e.g. `algorithm`, `health-check`, `sticky`. */
  feature: string;
  /** What the export did, in a sentence a person understands. */
  detail: string;
}

/** What an export expressed exactly, what it approximated and what the target cannot express. */
export interface ExportReport {
  format: ExportFormat;
  expressed: ReportEntry[];
  approximated: ReportEntry[];
  notExpressible: ReportEntry[];
}

/** One generated file, with a path relative to the output folder (always `/`-separated). */
export interface ExportFile {
  path: string;
  content: string;
}

/** What every target's `render` returns. */
export interface ExportResult {
  files: ExportFile[];
  report: ExportReport;
}

/** Collects report entries while a target renders; keeps insertion order, so output is stable. */
export class ReportBuilder {
  private readonly report: ExportReport;

  constructor(format: ExportFormat) {
    this.report = { format, expressed: [], approximated: [], notExpressible: [] };
  }

  expressed(nodeId: string | undefined, feature: string, detail: string): void {
    this.report.expressed.push(entry(nodeId, feature, detail));
  }

  approximated(nodeId: string | undefined, feature: string, detail: string): void {
    this.report.approximated.push(entry(nodeId, feature, detail));
  }

  notExpressible(nodeId: string | undefined, feature: string, detail: string): void {
    this.report.notExpressible.push(entry(nodeId, feature, detail));
  }

  build(): ExportReport {
    return this.report;
  }
}

function entry(nodeId: string | undefined, feature: string, detail: string): ReportEntry {
  return nodeId === undefined ? { feature, detail } : { nodeId, feature, detail };
}
