// The export method joins the design's errors (validate) and what the target itself refuses
// (Terraform's single-zone application load balancer): neither list hides the other.
import { describe, expect, it } from 'vitest';
import { joinErrors, withDesignErrors } from '../../../core/api/handlers/export.js';
import { renderExport, type ReportEntry } from '../../../core/export/index.js';
import { parseTopology } from '../../../core/model/index.js';
import { fixture } from '../export/designs.js';

/** lb-web with one validate error added: subnet private-b's CIDR gets host bits. */
function lbWebWithHostBits() {
  const design = structuredClone(fixture('lb-web'));
  const subnet = design.nodes.find((n) => n.id === 'private-b');
  if (subnet?.kind !== 'subnet') throw new Error('lb-web has no subnet private-b');
  return parseTopology(JSON.stringify({ ...design, nodes: design.nodes.map((n) => (n.id === 'private-b' ? { ...subnet, cidr: '10.0.3.1/24' } : n)) }));
}

describe('export: report.errors', () => {
  it("keeps Terraform's single-zone ALB error next to validate's errors", () => {
    const topology = lbWebWithHostBits();
    const rendered = renderExport(topology, 'terraform');
    const zones = (rendered.report.errors ?? []).filter((e) => e.nodeId === 'web-lb' && e.feature === 'zones');
    expect(zones).toHaveLength(1);
    const { report } = withDesignErrors(topology, rendered);
    const errors = report.errors ?? [];
    expect(errors.some((e) => e.nodeId === 'private-b' && e.feature === 'cidr-host-bits')).toBe(true);
    expect(errors.filter((e) => e.nodeId === 'web-lb' && e.feature === 'zones')).toEqual(zones);
    // validate's lines first, then the target's.
    expect(errors.at(-1)).toEqual(zones[0]);
  });

  it('a valid design keeps the target errors alone; a format without any gets only validate', () => {
    const valid = fixture('lb-web');
    expect(withDesignErrors(valid, renderExport(valid, 'terraform')).report.errors?.map((e) => e.feature)).toEqual(['zones']);
    const broken = lbWebWithHostBits();
    expect(withDesignErrors(broken, renderExport(broken, 'nginx')).report.errors?.map((e) => e.feature)).toEqual(['cidr-host-bits']);
  });

  it('joinErrors keeps order and drops a line that says the same thing twice', () => {
    const a: ReportEntry = { nodeId: 'n', feature: 'f', detail: 'd', action: 'x' };
    const b: ReportEntry = { feature: 'g', detail: 'e' };
    const c: ReportEntry = { nodeId: 'n', feature: 'f', detail: 'other' };
    expect(joinErrors([a, b], [{ ...a, action: 'y' }, c, b])).toEqual([a, b, c]);
  });
});
