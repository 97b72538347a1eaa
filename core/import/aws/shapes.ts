import { z } from 'zod';
import { IdSchema } from '../../model/kinds/fields.js';
import { safeParseIp } from '../../cidr/address.js';
import { cidrShape } from '../cidr.js';

/**
 * The parts of the AWS CLI's describe output an import reads (`--output json`, the
 * shapes of the AWS CLI command reference). Unknown keys are ignored, as new AWS fields
 * appear all the time; a field the import needs has to be there with the right type.
 */

/** An AWS resource id (`vpc-0a1b2c`), which becomes a node id as it is. */
export const AwsId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'not an AWS resource id (letters, digits, "-", "_", ".", ":", at most 128 characters)');
/** A name used as a node id (load balancers, target groups, auto-scaling groups). */
export const AwsName = IdSchema;
/** Filter rules' blocks: the validator explains a bad one (with its fix). */
const Cidr = z.string().max(64);
/** VPC, subnet and route blocks: refused at their path when malformed or of the wrong family. */
const Cidr4 = cidrShape(4);
const Cidr6 = cidrShape(6);
/** An IPv6 address (an instance's): refused at its path when it is not one. */
const Ipv6Address = z
  .string()
  .max(64)
  .refine((text) => safeParseIp(text)?.version === 6, { message: 'not an IPv6 address' });
/** An association's state (`associated`, `disassociated`, ...). */
const AssociationState = z.looseObject({ State: z.string().optional() }).optional();
const Port = z.number().int().min(-1).max(65535);

export const TagList = z.array(z.looseObject({ Key: z.string().max(128), Value: z.string().max(256) })).optional();

export const VpcShape = z.looseObject({
  VpcId: AwsId,
  CidrBlock: Cidr4,
  CidrBlockAssociationSet: z.array(z.looseObject({ CidrBlock: Cidr4, CidrBlockState: AssociationState })).optional(),
  Ipv6CidrBlockAssociationSet: z.array(z.looseObject({ Ipv6CidrBlock: Cidr6.optional(), Ipv6CidrBlockState: AssociationState })).optional(),
  OwnerId: z.string().optional(),
  Tags: TagList,
});

export const SubnetShape = z.looseObject({
  SubnetId: AwsId,
  VpcId: AwsId,
  /** Absent for an IPv6-only subnet. */
  CidrBlock: Cidr4.optional(),
  Ipv6CidrBlockAssociationSet: z.array(z.looseObject({ Ipv6CidrBlock: Cidr6.optional(), Ipv6CidrBlockState: AssociationState })).optional(),
  Ipv6Native: z.boolean().optional(),
  AvailabilityZone: z.string().max(64).optional(),
  Tags: TagList,
});

export const RouteShape = z.looseObject({
  DestinationCidrBlock: Cidr4.optional(),
  DestinationIpv6CidrBlock: Cidr6.optional(),
  DestinationPrefixListId: z.string().optional(),
  GatewayId: z.string().optional(),
  NatGatewayId: z.string().optional(),
  VpcPeeringConnectionId: z.string().optional(),
  InstanceId: z.string().optional(),
  NetworkInterfaceId: z.string().optional(),
  TransitGatewayId: z.string().optional(),
  EgressOnlyInternetGatewayId: z.string().optional(),
  CarrierGatewayId: z.string().optional(),
  LocalGatewayId: z.string().optional(),
  CoreNetworkArn: z.string().optional(),
  State: z.string().optional(),
});

export const RouteTableShape = z.looseObject({
  RouteTableId: AwsId,
  VpcId: AwsId,
  Routes: z.array(RouteShape).default([]),
  Associations: z.array(z.looseObject({ Main: z.boolean().optional(), SubnetId: AwsId.optional(), GatewayId: z.string().optional() })).default([]),
  Tags: TagList,
});

export const InternetGatewayShape = z.looseObject({
  InternetGatewayId: AwsId,
  Attachments: z.array(z.looseObject({ VpcId: AwsId, State: z.string().optional() })).default([]),
  Tags: TagList,
});

export const NatGatewayShape = z.looseObject({
  NatGatewayId: AwsId,
  SubnetId: AwsId,
  VpcId: AwsId.optional(),
  State: z.string().optional(),
  ConnectivityType: z.string().optional(),
  NatGatewayAddresses: z.array(z.looseObject({ PrivateIp: z.string().max(64).optional(), IsPrimary: z.boolean().optional() })).default([]),
  Tags: TagList,
});

const PeeringSide = z.looseObject({ VpcId: AwsId, CidrBlock: Cidr4.optional(), Region: z.string().max(64).optional(), OwnerId: z.string().optional() });
export const PeeringShape = z.looseObject({
  VpcPeeringConnectionId: AwsId,
  RequesterVpcInfo: PeeringSide,
  AccepterVpcInfo: PeeringSide,
  Status: z.looseObject({ Code: z.string() }).optional(),
  Tags: TagList,
});

export const PermissionShape = z.looseObject({
  IpProtocol: z.string().max(16),
  FromPort: Port.optional(),
  ToPort: Port.optional(),
  IpRanges: z.array(z.looseObject({ CidrIp: Cidr, Description: z.string().optional() })).default([]),
  Ipv6Ranges: z.array(z.looseObject({ CidrIpv6: Cidr, Description: z.string().optional() })).default([]),
  PrefixListIds: z.array(z.looseObject({ PrefixListId: z.string(), Description: z.string().optional() })).default([]),
  UserIdGroupPairs: z.array(z.looseObject({ GroupId: AwsId, Description: z.string().optional() })).default([]),
});

export const SecurityGroupShape = z.looseObject({
  GroupId: AwsId,
  GroupName: z.string().max(255).optional(),
  Description: z.string().optional(),
  VpcId: AwsId,
  IpPermissions: z.array(PermissionShape).default([]),
  IpPermissionsEgress: z.array(PermissionShape).default([]),
  Tags: TagList,
});

export const SecurityGroupRuleShape = z.looseObject({
  SecurityGroupRuleId: z.string().optional(),
  GroupId: AwsId,
  IsEgress: z.boolean(),
  IpProtocol: z.string().max(16),
  FromPort: Port.optional(),
  ToPort: Port.optional(),
  CidrIpv4: Cidr.optional(),
  CidrIpv6: Cidr.optional(),
  PrefixListId: z.string().optional(),
  ReferencedGroupInfo: z.looseObject({ GroupId: AwsId }).optional(),
  Description: z.string().optional(),
});

export const NetworkAclShape = z.looseObject({
  NetworkAclId: AwsId,
  VpcId: AwsId,
  IsDefault: z.boolean().default(false),
  Associations: z.array(z.looseObject({ SubnetId: AwsId })).default([]),
  Entries: z
    .array(
      z.looseObject({
        RuleNumber: z.number().int(),
        Protocol: z.string().max(16),
        RuleAction: z.string(),
        Egress: z.boolean(),
        CidrBlock: Cidr.optional(),
        Ipv6CidrBlock: Cidr.optional(),
        PortRange: z.looseObject({ From: Port.optional(), To: Port.optional() }).optional(),
        IcmpTypeCode: z.looseObject({ Type: z.number().int().optional(), Code: z.number().int().optional() }).optional(),
      }),
    )
    .default([]),
  Tags: TagList,
});

export const InstanceShape = z.looseObject({
  InstanceId: AwsId,
  State: z.looseObject({ Name: z.string() }).optional(),
  SubnetId: AwsId.optional(),
  VpcId: AwsId.optional(),
  PrivateIpAddress: z.string().max(64).optional(),
  /** The primary IPv6 address; older output lists it only under the network interfaces. */
  Ipv6Address: Ipv6Address.optional(),
  NetworkInterfaces: z.array(z.looseObject({ Ipv6Addresses: z.array(z.looseObject({ Ipv6Address: Ipv6Address })).default([]) })).default([]),
  SecurityGroups: z.array(z.looseObject({ GroupId: AwsId })).default([]),
  Tags: TagList,
});

export const ReservationShape = z.looseObject({ Instances: z.array(z.unknown()).default([]) });

export const LoadBalancerShape = z.looseObject({
  LoadBalancerArn: z.string().max(2048),
  LoadBalancerName: AwsName,
  Scheme: z.string().optional(),
  Type: z.string().default('application'),
  VpcId: AwsId.optional(),
  State: z.looseObject({ Code: z.string().optional() }).optional(),
  AvailabilityZones: z.array(z.looseObject({ SubnetId: AwsId.optional(), ZoneName: z.string().optional() })).default([]),
  SecurityGroups: z.array(AwsId).default([]),
});

export const TargetGroupShape = z.looseObject({
  TargetGroupArn: z.string().max(2048),
  TargetGroupName: AwsName,
  Protocol: z.string().optional(),
  Port: z.number().int().min(1).max(65535).optional(),
  VpcId: AwsId.optional(),
  TargetType: z.string().default('instance'),
  HealthCheckEnabled: z.boolean().optional(),
  HealthCheckProtocol: z.string().optional(),
  HealthCheckPath: z.string().optional(),
  HealthCheckIntervalSeconds: z.number().int().optional(),
  HealthCheckTimeoutSeconds: z.number().int().optional(),
  HealthyThresholdCount: z.number().int().optional(),
  UnhealthyThresholdCount: z.number().int().optional(),
  Matcher: z.looseObject({ HttpCode: z.string().optional(), GrpcCode: z.string().optional() }).optional(),
  LoadBalancerArns: z.array(z.string().max(2048)).default([]),
});

export const TargetHealthShape = z.looseObject({
  Target: z.looseObject({ Id: z.string().min(1).max(2048), Port: z.number().int().min(1).max(65535).optional() }),
  TargetHealth: z.looseObject({ State: z.string().optional() }).optional(),
});

export const ListenerShape = z.looseObject({
  ListenerArn: z.string().max(2048),
  LoadBalancerArn: z.string().max(2048),
  Port: z.number().int().min(1).max(65535).optional(),
  Protocol: z.string().optional(),
  DefaultActions: z
    .array(
      z.looseObject({
        Type: z.string(),
        TargetGroupArn: z.string().optional(),
        ForwardConfig: z.looseObject({ TargetGroups: z.array(z.looseObject({ TargetGroupArn: z.string() })).default([]) }).optional(),
      }),
    )
    .default([]),
});

export const AutoScalingGroupShape = z.looseObject({
  AutoScalingGroupName: AwsName,
  MinSize: z.number().int().min(0),
  MaxSize: z.number().int().min(0),
  DesiredCapacity: z.number().int().min(0).optional(),
  VPCZoneIdentifier: z.string().optional(),
  TargetGroupARNs: z.array(z.string()).default([]),
  Instances: z.array(z.looseObject({ InstanceId: AwsId, LifecycleState: z.string().optional() })).default([]),
  Tags: z.array(z.looseObject({ Key: z.string().max(128), Value: z.string().max(256) })).optional(),
});
