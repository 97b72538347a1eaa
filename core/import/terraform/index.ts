import { terraformNodeId } from '../ids.js';
import { emptyInventory, type Inventory } from '../inventory.js';
import type { TfReadState, TfReader } from './common.js';
import { finishBalancers, readAutoscalingAttachment, readAutoscalingGroup, readInstance, readListener, readLoadBalancer, readTargetGroup, readTargetGroupAttachment } from './compute.js';
import { readTerraformDocument } from './document.js';
import { finishFilters, readDefaultNetworkAcl, readDefaultSecurityGroup, readNetworkAcl, readNetworkAclAssociation, readNetworkAclRule, readSecurityGroup, readSecurityGroupRule, readVpcSecurityGroupRule } from './filters.js';
import { TfLinks } from './links.js';
import { readInternetGateway, readNatGateway, readPeering, readSubnet, readVpc, readVpcCidr, readVpcIpv6Cidr } from './network.js';
import { finishRouteTables, readDefaultRouteTable, readMainRouteTableAssociation, readRoute, readRouteTable, readRouteTableAssociation } from './routes.js';

/** The resource types an import reads, and who reads each. */
const READERS: Record<string, TfReader> = {
  aws_vpc: readVpc,
  aws_vpc_ipv4_cidr_block_association: readVpcCidr,
  aws_vpc_ipv6_cidr_block_association: readVpcIpv6Cidr,
  aws_subnet: readSubnet,
  aws_internet_gateway: readInternetGateway,
  aws_nat_gateway: readNatGateway,
  aws_vpc_peering_connection: readPeering,
  aws_route_table: readRouteTable,
  aws_default_route_table: readDefaultRouteTable,
  aws_route: readRoute,
  aws_route_table_association: readRouteTableAssociation,
  aws_main_route_table_association: readMainRouteTableAssociation,
  aws_security_group: readSecurityGroup,
  aws_default_security_group: readDefaultSecurityGroup,
  aws_security_group_rule: readSecurityGroupRule,
  aws_vpc_security_group_ingress_rule: readVpcSecurityGroupRule(false),
  aws_vpc_security_group_egress_rule: readVpcSecurityGroupRule(true),
  aws_network_acl: readNetworkAcl,
  aws_default_network_acl: readDefaultNetworkAcl,
  aws_network_acl_rule: readNetworkAclRule,
  aws_network_acl_association: readNetworkAclAssociation,
  aws_instance: readInstance,
  aws_autoscaling_group: readAutoscalingGroup,
  aws_autoscaling_attachment: readAutoscalingAttachment,
  aws_lb: readLoadBalancer,
  aws_alb: readLoadBalancer,
  aws_lb_target_group: readTargetGroup,
  aws_alb_target_group: readTargetGroup,
  aws_lb_target_group_attachment: readTargetGroupAttachment,
  aws_alb_target_group_attachment: readTargetGroupAttachment,
  aws_lb_listener: readListener,
  aws_alb_listener: readListener,
};

/** Read for what other resources say through them, never nodes of their own. */
const PARTS = new Set(['aws_launch_template', 'aws_vpc_peering_connection_accepter', 'aws_autoscaling_policy']);

/** Why some resource types the format has no kind for are left out, where more than "not modelled" helps. */
const UNMODELLED_REASONS: Record<string, string> = {
  aws_egress_only_internet_gateway: 'the format has no egress-only internet gateway (outbound-only IPv6 to the internet); routes to it are listed too',
};

/** Every resource type an import reads. */
export const TERRAFORM_TYPES: readonly string[] = Object.keys(READERS);

/**
 * Reads the JSON of `terraform show -json` (a state or a saved plan) into an inventory.
 * Resources of other types are listed in `ignored`. Throws `ImportInputError` on a shape
 * it cannot read or an unknown major `format_version`.
 */
export function readTerraformJson(file: string, value: unknown): { inventory: Inventory; kind: 'state' | 'plan' } {
  const doc = readTerraformDocument(file, value);
  const state: TfReadState = { file, inventory: emptyInventory(), links: new TfLinks(doc), sgRules: [], aclRules: [], aclAssociations: [], routes: [], routeAssociations: [], mainAssociations: [], attachments: [], asgAttachments: [] };
  for (const resource of doc.resources) {
    const reader = READERS[resource.type];
    if (reader) reader(resource, state);
    else if (resource.type === 'aws_eip') {
      // A NAT gateway's address is part of the gateway.
      const used = doc.resources.some((r) => r.type === 'aws_nat_gateway' && state.links.links(r, ['allocation_id']).includes(terraformNodeId(resource.address)));
      if (!used) state.inventory.ignored.push({ type: resource.type, id: terraformNodeId(resource.address), reason: 'elastic addresses are not modelled apart from NAT gateways (public addresses are implied by public subnets)' });
    } else if (!PARTS.has(resource.type)) {
      state.inventory.ignored.push({ type: resource.type, id: terraformNodeId(resource.address), reason: UNMODELLED_REASONS[resource.type] ?? (resource.type.startsWith('aws_') ? 'this resource type is not modelled' : 'not an AWS resource') });
    }
  }
  finishRouteTables(state);
  finishFilters(state);
  finishBalancers(state);
  return { inventory: state.inventory, kind: doc.kind };
}
