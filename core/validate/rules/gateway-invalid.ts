import { gatewayProblems } from '../../model/gateway-problems.js';
import { headerKeyPath } from '../../model/header-fields.js';
import { labelOf, type ValidationRule } from './rule.js';

/**
 * gateway-invalid (error): a reverse proxy's `gateway` block cannot work as written: two
 * routes share an id, an auth names a secret `gateway.secrets` does not declare, a secret
 * path leaves the design's folder, a JWKS is not a JSON file, a path pattern no request
 * could match, a rewrite using a parameter the pattern does not capture, credentials with
 * the origin `*`. The lab refuses to start such a design (its planner checks the same list).
 */
export const gatewayInvalidRule: ValidationRule = {
  name: 'gateway-invalid',
  codes: ['gateway-invalid'],
  check(context, report) {
    const { index } = context;
    for (const proxy of index.ofKind('reverse-proxy')) {
      for (const problem of gatewayProblems(proxy.gateway, (proxy.rules?.length ?? 0) > 0)) {
        const base = index.pathOf(proxy.id);
        const path = base + problem.at.map((part) => (typeof part === 'number' ? `[${part}]` : headerKeyPath(part))).join('');
        report({ code: 'gateway-invalid', severity: 'error', message: `Reverse proxy ${labelOf(proxy)} ${path.slice(base.length + 1)}: ${problem.message}`, nodeIds: [proxy.id], path });
      }
    }
  },
};
