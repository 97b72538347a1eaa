import { checkCidr } from '../cidr.js';
import { ImportInputError } from '../errors.js';
import type { AclEntry, Inventory, RouteRecord, SgPermission, Tags } from '../inventory.js';
import type { TfResource } from './document.js';
import type { TfLinks } from './links.js';

/** What the readers of one Terraform document share. */
export interface TfReadState {
  /** The input file's name, for messages. */
  file: string;
  inventory: Inventory;
  links: TfLinks;
  /** Rules of separate resources, merged into their group or ACL once every resource is read. */
  sgRules: { groupId: string; egress: boolean; permission: SgPermission }[];
  aclRules: { aclId: string; entry: AclEntry }[];
  /** `aws_network_acl_association`: subnet -> ACL. */
  aclAssociations: { aclId: string; subnetId: string }[];
  /** `aws_route`: routes of separate resources. */
  routes: { tableId: string; route: RouteRecord }[];
  routeAssociations: { tableId: string; subnetId: string }[];
  mainAssociations: { tableId: string; vpcId: string }[];
  /** Target group attachments and auto-scaling attachments. */
  attachments: { groupId: string; targetId: string; port?: number }[];
  asgAttachments: { asgId: string; groupId: string }[];
}

/** A handler of one resource type. */
export type TfReader = (r: TfResource, state: TfReadState) => void;

export function str(r: TfResource, key: string): string | undefined {
  const v = r.values[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function num(r: TfResource, key: string): number | undefined {
  const v = r.values[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function bool(r: TfResource, key: string): boolean | undefined {
  const v = r.values[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** String values of a list or set attribute. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

/** The blocks of a nested block attribute (`ingress`, `health_check`). */
export function blocks(r: TfResource, key: string): Record<string, unknown>[] {
  const v = r.values[key];
  return Array.isArray(v) ? v.filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object' && !Array.isArray(b)) : [];
}

/** The resource's `tags` (not `tags_all`, which adds the provider's default tags). */
export function tagsOf(r: TfResource): Tags {
  const v = r.values['tags'];
  const out: Tags = {};
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k.slice(0, 128)] = value.slice(0, 256);
  }
  return out;
}

/** The first link of an attribute, if any. */
export function link(state: TfReadState, r: TfResource, path: readonly (string | number)[]): string | undefined {
  return state.links.links(r, path)[0];
}

/**
 * A CIDR attribute at `path` of a resource's values, checked strictly (syntax and family);
 * undefined when it is not known (absent, null or empty: a plan leaves out what apply decides).
 */
export function cidrAt(state: TfReadState, r: TfResource, path: readonly (string | number)[], version: 4 | 6): string | undefined {
  const value = state.links.value(r, path);
  if (value === undefined || value === null || value === '') return undefined;
  const at = [...r.path, 'values', ...path];
  if (typeof value !== 'string') throw new ImportInputError(state.file, at, `expected a CIDR block as a string, got ${Array.isArray(value) ? 'array' : typeof value}`);
  return checkCidr(value, version, state.file, at);
}
