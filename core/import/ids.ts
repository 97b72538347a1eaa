import { IdSchema } from '../model/kinds/fields.js';

/**
 * Node ids from input ids. AWS ids (`vpc-0a1b`) are node ids as they are; a Terraform
 * address has its index written as a path step (`aws_subnet.a[0]` is `aws_subnet.a.0`,
 * `aws_subnet.a["web"]` is `aws_subnet.a.web`), and whatever the id syntax cannot hold
 * (spaces, quotes, slashes in a `for_each` key) becomes `_`.
 */
export function terraformNodeId(address: string): string {
  const stepped = address.replace(/\[(?:"((?:[^"\\]|\\.)*)"|(\d+))\]/g, (_m, key: string | undefined, index: string | undefined) => `.${key !== undefined ? key.replace(/\\(.)/g, '$1') : index}`);
  const cleaned = stepped.replace(/[^A-Za-z0-9._:-]/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 128) || 'resource';
}

/** Whether a string is usable as a node id as it is. */
export function isNodeId(id: string): boolean {
  return IdSchema.safeParse(id).success;
}
