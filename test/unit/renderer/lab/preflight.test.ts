import { describe, expect, it } from 'vitest';
import { preflight } from '../../../../renderer/lab/controller.js';
import { planLab } from '../../../../core/runtime/lab/plan.js';
import { validateTopology } from '../../../../core/validate/index.js';
import { example } from '../../../support/examples.js';

/**
 * The app's launch check agrees with the lab: a design whose only errors are blocked
 * connections runs (the lab refuses those flows, naming the blocker), so the app asks
 * first, as for warnings, instead of refusing to start what the lab would run.
 */
describe('the launch check', () => {
  it('asks about a blocked connection instead of refusing the launch, as the lab plans it', () => {
    const design = example('three-tier');
    design.edges = design.edges.map((e) => (e.id === 'web-1-db' ? { ...e, port: 6000 } : e));
    const check = preflight(design);
    expect(check.errors).toEqual([]);
    expect(check.warnings.map((d) => [d.code, d.path])).toContainEqual(['connection-blocked', 'web-1-db']);
    expect(planLab(design, validateTopology(design)).ok).toBe(true);
  });

  it('still refuses a design the lab refuses', () => {
    const broken = example('broken-plan');
    expect(preflight(broken).errors.map((d) => d.code)).toContain('subnet-overlap');
    expect(planLab(broken, validateTopology(broken)).ok).toBe(false);
  });
});
