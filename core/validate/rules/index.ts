import { albZonesRule } from './alb-zones.js';
import { asgSizeRule } from './asg-size.js';
import { cidrSyntaxRule } from './cidr-syntax.js';
import { connectionBlockedRule } from './connection-blocked.js';
import { defaultDuplicateRule } from './default-duplicate.js';
import { dnsRecordsRule } from './dns-records.js';
import { dnsZonesRule } from './dns-zones.js';
import { edgesRule } from './edges.js';
import { gatewayInvalidRule } from './gateway-invalid.js';
import { gatewayPlacementRule } from './gateway-placement.js';
import { headerInvalidRule } from './header-invalid.js';
import { igwMultipleRule } from './igw-multiple.js';
import { ipAddressRule } from './ip-address.js';
import { naclReturnRule } from './nacl-return.js';
import { naclRulesRule } from './nacl-rules.js';
import { naclSubnetsRule } from './nacl-subnets.js';
import { parentInvalidRule } from './parent-invalid.js';
import { peeringRule } from './peering.js';
import { referenceKindRule } from './reference-kind.js';
import { routeOverlapRule } from './route-overlap.js';
import { routeTableAssociationRule } from './route-table-association.js';
import { routeTableMissingRule } from './route-table-missing.js';
import { routeTargetsRule } from './route-targets.js';
import type { ValidationRule } from './rule.js';
import { sgMembershipRule } from './sg-membership.js';
import { sgRulesRule } from './sg-rules.js';
import { subnetFullRule } from './subnet-full.js';
import { subnetOutsideVpcRule } from './subnet-outside-vpc.js';
import { subnetOverlapRule } from './subnet-overlap.js';
import { subnetSizeRule } from './subnet-size.js';
import { vpcNotPrivateRule } from './vpc-not-private.js';
import { vpcOverlapRule } from './vpc-overlap.js';
import { vpcSizeRule } from './vpc-size.js';

export type { ValidationRule, Report } from './rule.js';

/** Every rule, in the order they run (the result is sorted afterwards, so order only breaks ties). */
export const RULES: readonly ValidationRule[] = [
  cidrSyntaxRule,
  parentInvalidRule,
  vpcSizeRule,
  vpcNotPrivateRule,
  vpcOverlapRule,
  subnetSizeRule,
  subnetOutsideVpcRule,
  subnetOverlapRule,
  subnetFullRule,
  ipAddressRule,
  routeTableMissingRule,
  routeTableAssociationRule,
  routeTargetsRule,
  routeOverlapRule,
  gatewayPlacementRule,
  peeringRule,
  igwMultipleRule,
  edgesRule,
  connectionBlockedRule,
  albZonesRule,
  asgSizeRule,
  referenceKindRule,
  sgRulesRule,
  sgMembershipRule,
  naclRulesRule,
  naclSubnetsRule,
  defaultDuplicateRule,
  naclReturnRule,
  dnsZonesRule,
  dnsRecordsRule,
  headerInvalidRule,
  gatewayInvalidRule,
];
