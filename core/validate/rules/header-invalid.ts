import { headerFieldMessage, headerFieldProblems, headerKeyPath } from '../../model/header-fields.js';
import { labelOf, type ValidationRule } from './rule.js';

/**
 * header-invalid (error): a reverse-proxy rule sets a header that cannot exist on the wire
 * (a name that is not an RFC 9110 token, a value with CR, LF, NUL or another control
 * character). The lab refuses such a design and `export` refuses it without `--force`.
 */
export const headerInvalidRule: ValidationRule = {
  name: 'header-invalid',
  codes: ['header-invalid'],
  check(context, report) {
    const { index } = context;
    for (const proxy of index.ofKind('reverse-proxy')) {
      for (const problem of headerFieldProblems(proxy.rules)) {
        report({
          code: 'header-invalid',
          severity: 'error',
          message: headerFieldMessage(labelOf(proxy), problem),
          nodeIds: [proxy.id],
          path: `${index.pathOf(proxy.id, 'rules', problem.rule, problem.field)}${headerKeyPath(problem.name)}`,
        });
      }
    }
  },
};
