import type { LoadBalancerNode } from '../../model/types.js';
import { exportTls, type ExportTls } from '../tls.js';
import { tags, type Context } from './context.js';
import { Block, bool, list, num, ref, str } from './hcl.js';

/** AWS's predefined policies for TLS 1.2+ and TLS 1.3 only. */
const SSL_POLICY: Record<ExportTls['minVersion'], string> = {
  'TLSv1.2': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'TLSv1.3': 'ELBSecurityPolicy-TLS13-1-3-2021-06',
};

/** The HTTPS of an application load balancer, when its `tls` is active. */
export function balancerTls(ctx: Context, lb: LoadBalancerNode): ExportTls | undefined {
  return lb.layer === 4 ? undefined : exportTls(ctx.view.topology, lb);
}

/**
 * `aws_acm_certificate` for the balancer's host names (the first the domain name, the rest
 * alternative names, DNS validation) and an HTTPS `aws_lb_listener` on the TLS port with it,
 * the TLS 1.2+ (or 1.3) policy and HSTS, forwarding to the balancer's target group.
 */
export function writeBalancerTls(ctx: Context, lb: LoadBalancerNode, name: string, tls: ExportTls): void {
  const certificate = new Block('resource', ['aws_acm_certificate', name]).attr('domain_name', str(tls.hosts[0] ?? ''));
  if (tls.hosts.length > 1) certificate.attr('subject_alternative_names', list(tls.hosts.slice(1).map((h) => str(h))));
  certificate.attr('validation_method', str('DNS')).attr('tags', tags(ctx, lb, 1));
  certificate.block('lifecycle').attr('create_before_destroy', bool(true));
  ctx.main.push(certificate);
  const listener = new Block('resource', ['aws_lb_listener', `${name}_https`])
    .attr('load_balancer_arn', ref(`aws_lb.${name}.arn`))
    .attr('port', num(tls.port))
    .attr('protocol', str('HTTPS'))
    .attr('ssl_policy', str(SSL_POLICY[tls.minVersion]))
    .attr('certificate_arn', ref(`aws_acm_certificate.${name}.arn`));
  if (tls.hsts !== undefined) listener.attr('routing_http_response_strict_transport_security_header_value', str(tls.hsts));
  listener.block('default_action').attr('type', str('forward')).attr('target_group_arn', ref(`aws_lb_target_group.${name}.arn`));
  ctx.main.push(listener);
  ctx.report.expressed(lb.id, 'tls', `HTTPS listener on ${tls.port} with ${SSL_POLICY[tls.minVersion]} and an ACM certificate for ${tls.hosts.join(', ')} (SNI picks by name, as in the lab)`);
  ctx.report.approximated(
    lb.id,
    'tls-certificates',
    'ACM issues the certificate only after its DNS validation records exist: the export requests it (validation_method DNS) but writes no validation records; the lab and the nginx/HAProxy exports use the project\'s local CA instead',
    'create the records in aws_acm_certificate.domain_validation_options (aws_route53_record + aws_acm_certificate_validation), or import your own certificate into ACM',
  );
  if (tls.hsts !== undefined) ctx.report.expressed(lb.id, 'hsts', `Strict-Transport-Security: ${tls.hsts} (listener response header)`);
}

/** The plain listener's default action: forward, or with a TLS redirect, AWS's redirect to HTTPS on the TLS port. */
export function plainListenerAction(listener: Block, name: string, tls: ExportTls | undefined, ctx: Context, lb: LoadBalancerNode): void {
  const action = listener.block('default_action');
  if (tls?.redirect === undefined) {
    action.attr('type', str('forward')).attr('target_group_arn', ref(`aws_lb_target_group.${name}.arn`));
    return;
  }
  action.attr('type', str('redirect'));
  // An ALB redirect answers 301 or 302 only (the provider refuses HTTP_308).
  action.block('redirect').attr('port', str(String(tls.port))).attr('protocol', str('HTTPS')).attr('status_code', str('HTTP_301'));
  if (tls.redirect === 301) ctx.report.expressed(lb.id, 'tls-redirect', 'the HTTP listener answers 301 to HTTPS, as in the lab');
  else {
    ctx.report.approximated(lb.id, 'tls-redirect', 'an ALB redirects with 301 or 302 only: the 308 is written as 301, after which a client may resend a POST as a GET (the lab answers 308, which keeps the method and body)', 'use redirect 301 in the design, or terminate TLS on the nginx or HAProxy export where 308 is written as is');
  }
}
