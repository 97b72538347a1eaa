import { nameOf, type ValidationRule } from './rule.js';

/** asg-size (error): an auto-scaling group must satisfy min <= desired <= max. */
export const asgSizeRule: ValidationRule = {
  name: 'asg-size',
  codes: ['asg-size'],
  check(context, report) {
    const { index } = context;
    for (const group of index.ofKind('autoscaling-group')) {
      const { min, max, desired } = group;
      const problem = sizeProblem(min, max, desired);
      if (!problem) continue;
      const { field, fix } = problem;
      report({
        code: 'asg-size',
        severity: 'error',
        message: `Auto-scaling group ${nameOf(context, group.id)} has min ${min}, desired ${desired ?? '(unset)'}, max ${max}; it needs min <= desired <= max`,
        nodeIds: [group.id],
        path: index.pathOf(group.id, field),
        ...(fix !== undefined ? { fix: { title: `Set desired to ${fix}`, nodeId: group.id, field: 'desired', value: fix } } : {}),
      });
    }
  },
};

/** Which field breaks min <= desired <= max, and the desired count that fixes it (clamped). */
function sizeProblem(min: number, max: number, desired: number | undefined): { field: string; fix?: number } | undefined {
  if (min > max) return { field: 'min' };
  if (desired !== undefined && desired < min) return { field: 'desired', fix: min };
  if (desired !== undefined && desired > max) return { field: 'desired', fix: max };
  return undefined;
}
