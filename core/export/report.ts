/** Which export targets exist; the CLI flag and the API input use exactly these names. */
export const EXPORT_FORMATS = ['nginx', 'haproxy', 'terraform', 'compose', 'kubernetes', 'drawio', 'bind'] as const;

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
  bind: 'BIND zone files for the DNS zones (any authoritative server)',
};

/** One line of an export report: a feature of the design and what became of it. */
export interface ReportEntry {
  /** The node the entry is about, when it is about one. */
  nodeId?: string;
  /** Short name of the design feature, e.g. `algorithm`, `health-check`, `sticky`. */
  feature: string;
  /** What the export did, in a sentence a person understands. */
  detail: string;
  /** What to do about it (approximated, not expressible and design errors), when there is something to do. */
  action?: string;
}

/** What an export expressed exactly, what it approximated and what the target cannot express. */
export interface ExportReport {
  format: ExportFormat;
  expressed: ReportEntry[];
  approximated: ReportEntry[];
  notExpressible: ReportEntry[];
  /**
   * The design's errors (`topolab validate`), one line each: `feature` is the diagnostic code,
   * `action` its fix. Present only when the design has errors: the CLI refuses such an export
   * unless `--force`, and the config is then written for a design that cannot work as drawn.
   * A target also lists here what it refuses outright (`ReportBuilder.error`), e.g. an AWS
   * application load balancer in a single zone.
   */
  errors?: ReportEntry[];
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

/** What to do with a forward proxy in an nginx or HAProxy export: neither is one; Squid is, through the Compose export. */
export const FORWARD_PROXY_ACTION = 'export with --format compose, which runs this forward proxy as Squid (squid/<name>.conf, with its allow and deny lists), or write a Squid config from it';

/** Collects report entries while a target renders; keeps insertion order, so output is stable. */
export class ReportBuilder {
  private readonly report: ExportReport;

  constructor(format: ExportFormat) {
    this.report = { format, expressed: [], approximated: [], notExpressible: [] };
  }

  expressed(nodeId: string | undefined, feature: string, detail: string): void {
    this.report.expressed.push(entry(nodeId, feature, detail));
  }

  /** A close rendering with a stated difference; `action` says what a user can do about it. */
  approximated(nodeId: string | undefined, feature: string, detail: string, action?: string): void {
    this.report.approximated.push(entry(nodeId, feature, detail, action));
  }

  /** Something the target cannot say; `action` says what a user can do instead. */
  notExpressible(nodeId: string | undefined, feature: string, detail: string, action?: string): void {
    this.report.notExpressible.push(entry(nodeId, feature, detail, action));
  }

  /**
   * Something the target refuses outright (AWS rejects the resource as drawn): listed with
   * the design's errors, so the CLI refuses the export unless `--force`.
   */
  error(nodeId: string | undefined, feature: string, detail: string, action?: string): void {
    (this.report.errors ??= []).push(entry(nodeId, feature, detail, action));
  }

  build(): ExportReport {
    return this.report;
  }
}

function entry(nodeId: string | undefined, feature: string, detail: string, action?: string): ReportEntry {
  return { ...(nodeId === undefined ? {} : { nodeId }), feature, detail, ...(action === undefined ? {} : { action }) };
}
