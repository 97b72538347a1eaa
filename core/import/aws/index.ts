import type { z } from 'zod';
import { ImportInputError } from '../errors.js';
import { emptyInventory, type Inventory } from '../inventory.js';
import { readLoadBalancers, readListeners, readTargetGroups, readTargetHealth, resolveBalancers } from './balancers.js';
import type { AwsReadState } from './common.js';
import { readAutoScalingGroups, readReservations } from './compute.js';
import { mergeSecurityGroupRules, readNetworkAcls, readSecurityGroupRules, readSecurityGroups } from './filters.js';
import { readInternetGateways, readNatGateways, readPeerings, readSubnets, readVpcs } from './network.js';
import { readRouteTables } from './routes.js';
import type { SecurityGroupRuleShape } from './shapes.js';
import { readUnmodelled, UNMODELLED } from './unmodelled.js';

/** One input file: its name (for messages and target-health pairing) and its parsed JSON. */
export interface AwsInputFile {
  name: string;
  value: unknown;
}

type Reader = (top: Record<string, unknown>, file: string, state: AwsReadState) => void;

/** The describe outputs an import reads, by their top-level key. */
const READERS: Record<string, Reader> = {
  Vpcs: readVpcs,
  Subnets: readSubnets,
  RouteTables: readRouteTables,
  InternetGateways: readInternetGateways,
  NatGateways: readNatGateways,
  VpcPeeringConnections: readPeerings,
  SecurityGroups: readSecurityGroups,
  NetworkAcls: readNetworkAcls,
  Reservations: readReservations,
  LoadBalancers: readLoadBalancers,
  TargetGroups: readTargetGroups,
  TargetHealthDescriptions: readTargetHealth,
  Listeners: readListeners,
  AutoScalingGroups: readAutoScalingGroups,
};

/** Every top-level key an AWS import recognises (modelled first, then read-and-ignored). */
export const AWS_KEYS: readonly string[] = [...Object.keys(READERS), 'SecurityGroupRules', ...Object.keys(UNMODELLED)];

/**
 * Reads AWS CLI describe outputs (any subset, several VPCs and accounts together) into an
 * inventory. Each file is recognised by its top-level keys; a file with none of them is
 * refused, naming it. Throws `ImportInputError` (file and JSON path) on a wrong shape.
 */
export function readAwsFiles(files: readonly AwsInputFile[]): Inventory {
  const state: AwsReadState = { inventory: emptyInventory(), targetGroupArns: new Map(), balancerArns: new Map(), healthFiles: [], seen: new Set() };
  const rules: z.output<typeof SecurityGroupRuleShape>[] = [];
  for (const { name, value } of files) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ImportInputError(name, [], `expected the JSON object an AWS CLI describe command prints (one of ${AWS_KEYS.join(', ')})`);
    const top = value as Record<string, unknown>;
    const keys = Object.keys(top).filter((k) => AWS_KEYS.includes(k));
    if (keys.length === 0) throw new ImportInputError(name, [], `no recognised top-level key (found ${Object.keys(top).slice(0, 5).map((k) => JSON.stringify(k)).join(', ') || 'none'}; expected one of ${AWS_KEYS.join(', ')})`);
    for (const key of keys) {
      if (key === 'SecurityGroupRules') readSecurityGroupRules(top, name, state, rules);
      else if (READERS[key]) READERS[key](top, name, state);
      else readUnmodelled(top, key, name, state);
    }
  }
  mergeSecurityGroupRules(state, rules);
  resolveBalancers(state);
  return state.inventory;
}
