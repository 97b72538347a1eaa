/**
 * Route 53 in the Terraform export: one `aws_route53_zone` per `dns-zone` (a private one with
 * its VPC), `aws_route53_record`s with the routing policies (one record per value, with a
 * `set_identifier`, for every policy but simple), and an `aws_route53_health_check` per
 * checked value. A value naming a balancer becomes an alias to it; one naming an instance
 * its public address in a public zone and its private address in a private zone.
 */
import { safeParseIp } from '../../cidr/address.js';
import { dnsRecordName, dnsValueMeaning } from '../../model/dns.js';
import type { DnsRecord, DnsZoneNode, HealthCheck } from '../../model/types.js';
import { commentText, toIdentifier } from '../escape.js';
import { hasInstance, isApiGateway, rname, tags, type Context } from './context.js';
import { Block, bool, list, num, ref, str, type Expr } from './hcl.js';

/** A resource name for something that is not a node (`zone:record:value`), unique in the configuration. */
function uniqueName(ctx: Context, key: string, base: string): string {
  return ctx.names.name(key, toIdentifier(base, /[A-Za-z0-9_]/));
}

/** Writes one zone (`aws_route53_zone`) with its records and their health checks. */
export function writeDnsZone(ctx: Context, zone: DnsZoneNode): void {
  const name = rname(ctx, zone.id);
  const vpc = zone.parent !== undefined ? ctx.view.index.nodeOfKind(zone.parent, 'vpc') : undefined;
  const block = new Block('resource', ['aws_route53_zone', name]).attr('name', str(zone.name.replace(/\.$/, '')));
  if (vpc) block.block('vpc').attr('vpc_id', ref(`aws_vpc.${rname(ctx, vpc.id)}.id`));
  block.attr('tags', tags(ctx, zone, 1));
  ctx.main.push(block);
  ctx.report.expressed(zone.id, 'dns-zone', `aws_route53_zone ${zone.name}${vpc ? ` (private, associated with ${vpc.id})` : ' (public)'}`);
  zone.records.forEach((record, r) => writeRecord(ctx, zone, record, r, !vpc));
}

function writeRecord(ctx: Context, zone: DnsZoneNode, record: DnsRecord, r: number, isPublic: boolean): void {
  const zoneName = rname(ctx, zone.id);
  const fqdn = dnsRecordName(zone, record);
  const base = `${zoneName}_${fqdn.slice(0, Math.max(0, fqdn.length - zone.name.length - 1)).replace(/[^A-Za-z0-9_]/g, '_') || 'apex'}_${record.type.toLowerCase()}`;
  const values = record.values.map((value) => expressionOf(ctx, zone, record, value, isPublic));
  if (record.policy === 'simple') {
    const aliases = values.filter((v) => v.alias);
    if (aliases.length > 0) {
      // An alias record points at one target; a simple record of several balancers cannot be one.
      const first = aliases[0] as Value;
      const block = recordBlock(ctx, `${base}`, `${zone.id}:${r}`, zoneName, fqdn, record.type);
      aliasBlock(block, first.alias as string, false);
      ctx.main.push(block);
      if (values.length > 1) ctx.report.approximated(zone.id, 'dns-record', `${fqdn}: a simple record that names a balancer is an alias to it alone; the other values are left out (use multivalue or weighted)`);
      else ctx.report.expressed(zone.id, 'dns-record', `${fqdn} ${record.type}: alias to ${first.source}`);
      return;
    }
    const block = recordBlock(ctx, base, `${zone.id}:${r}`, zoneName, fqdn, record.type).attr('ttl', num(record.ttl)).attr('records', list(values.map((v) => v.expr as Expr)));
    ctx.main.push(block);
    ctx.report.expressed(zone.id, 'dns-record', `${fqdn} ${record.type} simple, ${values.length} value(s), TTL ${record.ttl}`);
    return;
  }
  values.forEach((value, v) => {
    const id = policyId(record, v);
    const block = recordBlock(ctx, `${base}_${id}`, `${zone.id}:${r}:${v}`, zoneName, fqdn, record.type).attr('set_identifier', str(`${fqdn}-${id}`));
    if (value.alias) aliasBlock(block, value.alias, record.healthCheck !== undefined);
    else block.attr('ttl', num(record.ttl)).attr('records', list([value.expr as Expr]));
    switch (record.policy) {
      case 'weighted':
        block.block('weighted_routing_policy').attr('weight', num(record.weights?.[v] ?? 1));
        break;
      case 'failover':
        block.block('failover_routing_policy').attr('type', str(v === 0 ? 'PRIMARY' : 'SECONDARY'));
        break;
      case 'multivalue':
        block.attr('multivalue_answer_routing_policy', bool(true));
        break;
      case 'latency':
        block.block('latency_routing_policy').attr('region', value.region !== undefined ? str(value.region) : ref('var.region'));
        if (value.region === undefined) ctx.report.approximated(zone.id, 'dns-record', `${fqdn}: value ${value.source} has no region in the design (its VPC has none); the latency record uses var.region`);
        break;
    }
    if (record.healthCheck && !value.alias) {
      const check = healthCheck(ctx, `${base}_${id}`, `${zone.id}:${r}:${v}:check`, record.healthCheck, value, isPublic, fqdn);
      if (check) block.attr('health_check_id', ref(`aws_route53_health_check.${check}.id`));
    }
    ctx.main.push(block);
  });
  ctx.report.expressed(zone.id, 'dns-record', `${fqdn} ${record.type} ${record.policy}: ${values.length} record(s) with set identifiers${record.healthCheck ? ', health-checked' : ''}`);
}

interface Value {
  /** The record value expression (absent for an alias). */
  expr?: Expr;
  /** `aws_lb.name` for an alias to a balancer. */
  alias?: string;
  /** The IP the health check probes (literal or an instance attribute). */
  checkIp?: Expr;
  port: number;
  region?: string;
  /** What the value is, for the report. */
  source: string;
  /** A private address checked from the internet: Route 53 health checkers cannot reach it. */
  privateTarget: boolean;
}

function expressionOf(ctx: Context, zone: DnsZoneNode, record: DnsRecord, value: string, isPublic: boolean): Value {
  const meaning = dnsValueMeaning(ctx.view.index, ctx.view.addresses, record, value);
  if (meaning.kind === 'name') return { expr: str(meaning.name), port: 80, source: meaning.name, privateTarget: false };
  if (meaning.kind === 'text') return { expr: str(splitTxt(meaning.text)), port: 80, source: 'text', privateTarget: false };
  if (meaning.kind === 'invalid') return { expr: str(value), port: 80, source: value, privateTarget: false };
  const node = meaning.nodeId !== undefined && meaning.nodeId === value ? ctx.view.index.node(meaning.nodeId) : undefined;
  const region = meaning.nodeId !== undefined ? ctx.view.index.vpcOf(meaning.nodeId)?.region : undefined;
  const port = meaning.nodeId !== undefined ? (ctx.view.addresses.get(meaning.nodeId)?.port ?? 80) : 80;
  const base = { port, ...(region !== undefined ? { region } : {}) };
  if (node?.kind === 'load-balancer') return { alias: `aws_lb.${rname(ctx, node.id)}`, ...base, source: `load balancer ${node.id}`, privateTarget: false };
  if (node && hasInstance(ctx, node) && record.type === 'A') {
    const attribute = isPublic ? 'public_ip' : 'private_ip';
    const expr = ref(`aws_instance.${rname(ctx, node.id)}.${attribute}`);
    return { expr, checkIp: expr, ...base, source: `${node.id} (${attribute})`, privateTarget: !isPublic };
  }
  if (node && isApiGateway(node)) ctx.report.notExpressible(zone.id, 'dns-record', `${dnsRecordName(zone, record)}: ${node.id} is an API gateway, written as an HTTP API with no address in the VPC; the record keeps its designed address ${meaning.address}`, `point the name at the API's custom domain instead (the output ${rname(ctx, node.id)}_<host>_target, as a CNAME or alias)`);
  else if (node && isPublic && record.type === 'A') ctx.report.approximated(
    zone.id, 'dns-record', `${dnsRecordName(zone, record)}: ${node.id} is answered at its designed address ${meaning.address}`);
  const ip = safeParseIp(meaning.address);
  const privateTarget = ip !== undefined && isPrivate(meaning.address);
  return { expr: str(meaning.address), checkIp: str(meaning.address), ...base, source: meaning.address, privateTarget };
}

function healthCheck(ctx: Context, base: string, key: string, check: HealthCheck, value: Value, isPublic: boolean, fqdn: string): string | undefined {
  if (!value.checkIp) return undefined;
  const name = uniqueName(ctx, key, `${base}_check`);
  const type = (check.type ?? 'http') === 'tcp' ? 'TCP' : 'HTTP';
  // The lab's defaults (resolveHealthCheck): every second, two failures.
  const intervalMs = check.intervalMs ?? 1000;
  // Route 53 checks every 10 or 30 s.
  const interval = intervalMs <= 10_000 ? 10 : 30;
  const block = new Block('resource', ['aws_route53_health_check', name]).attr('ip_address', value.checkIp).attr('port', num(value.port)).attr('type', str(type));
  if (type === 'HTTP') block.attr('resource_path', str(check.path ?? '/health'));
  block.attr('failure_threshold', num(Math.min(10, check.fall ?? 2))).attr('request_interval', num(interval));
  ctx.main.push(block);
  if (intervalMs !== interval * 1000) ctx.report.approximated(undefined, 'health-check', `${fqdn}: Route 53 checks every 10 or 30 s; the design's ${intervalMs} ms becomes ${interval} s`);
  if (value.privateTarget || !isPublic) {
    ctx.report.approximated(undefined, 'health-check', `${fqdn}: Route 53 health checkers probe from the internet and cannot reach ${commentText(value.source)}; in AWS this check needs a public address (or a CloudWatch alarm check)`);
  }
  return name;
}

function recordBlock(ctx: Context, base: string, key: string, zoneName: string, fqdn: string, type: string): Block {
  return new Block('resource', ['aws_route53_record', uniqueName(ctx, key, base)]).attr('zone_id', ref(`aws_route53_zone.${zoneName}.zone_id`)).attr('name', str(fqdn)).attr('type', str(type));
}

function aliasBlock(block: Block, lb: string, evaluate: boolean): void {
  block.block('alias').attr('name', ref(`${lb}.dns_name`)).attr('zone_id', ref(`${lb}.zone_id`)).attr('evaluate_target_health', bool(evaluate));
}

function policyId(record: DnsRecord, v: number): string {
  if (record.policy === 'failover') return v === 0 ? 'primary' : 'secondary';
  return `${record.policy}_${v + 1}`;
}

/** A TXT value longer than 255 octets is written as several strings, as the AWS provider expects (`"" ` between them). */
function splitTxt(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(text.slice(i, i + 255));
  return parts.join('""');
}

function isPrivate(address: string): boolean {
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|f[cd])/i.test(address);
}
