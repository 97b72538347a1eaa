import { terraformNodeId } from '../ids.js';
import { stripKeys, type TfDocument, type TfResource } from './document.js';

/**
 * The links between resources. A state knows every id, so `vpc_id = "vpc-0a1b"` is looked
 * up among the ids (and ARNs) of the state's resources. A plan does not know ids before
 * apply: there the link comes from the attribute's expression in `configuration`, whose
 * `references` name the resources (`aws_vpc.main.id`, `aws_vpc.main`).
 */
export class TfLinks {
  /** Known ids and ARNs -> resource address. */
  private readonly byValue = new Map<string, TfResource>();
  /** Config key (`module.net.aws_subnet.a`) -> its instances. */
  private readonly byConfigKey = new Map<string, TfResource[]>();
  private readonly byAddress = new Map<string, TfResource>();

  constructor(private readonly doc: TfDocument) {
    for (const r of doc.resources) {
      this.byAddress.set(r.address, r);
      this.byConfigKey.set(r.configKey, [...(this.byConfigKey.get(r.configKey) ?? []), r]);
      // An auto-scaling group is named by its name (its id once applied).
      for (const key of r.type === 'aws_autoscaling_group' ? ['id', 'arn', 'name'] : ['id', 'arn']) {
        const value = r.values[key];
        if (typeof value === 'string' && value !== '' && !this.byValue.has(value)) this.byValue.set(value, r);
      }
    }
  }

  /** The resource of an address, if the document has it. */
  resource(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  /** The resource whose id or ARN this is. */
  byId(value: string): TfResource | undefined {
    return this.byValue.get(value);
  }

  /** The value at a path of a resource's values (`['route', 0, 'gateway_id']`). */
  value(r: TfResource, path: readonly (string | number)[]): unknown {
    let current: unknown = r.values;
    for (const step of path) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string | number, unknown>)[step];
    }
    return current;
  }

  /**
   * The resources an attribute links to: by value where the value is known (an id that no
   * resource has stays as it is: a resource outside the document), else by the
   * expression's references. Each result is a node id.
   */
  links(r: TfResource, path: readonly (string | number)[], configPath: readonly (string | number)[] = path): string[] {
    const value = this.value(r, path);
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    const known = values.filter((v) => v !== '');
    if (known.length > 0) return known.map((v) => { const hit = this.byValue.get(v); return hit ? terraformNodeId(hit.address) : v; });
    return this.referenced(r, configPath).map((t) => terraformNodeId(t.address));
  }

  /** The resources an attribute links to, as resources (for their type): only those in the document. */
  linkedResources(r: TfResource, path: readonly (string | number)[], configPath: readonly (string | number)[] = path): { id: string; resource?: TfResource }[] {
    const value = this.value(r, path);
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    const known = values.filter((v) => v !== '');
    if (known.length > 0) return known.map((v) => { const hit = this.byValue.get(v); return hit ? { id: terraformNodeId(hit.address), resource: hit } : { id: v }; });
    return this.referenced(r, configPath).map((t) => ({ id: terraformNodeId(t.address), resource: t }));
  }

  /** The expression of an attribute in `configuration`, following block arrays by index. */
  private expression(r: TfResource, path: readonly (string | number)[]): unknown {
    let current: unknown = this.doc.expressions.get(r.configKey);
    for (const step of path) {
      if (current === null || typeof current !== 'object') return undefined;
      // A block written once is an array of one in `configuration`; a set's order may differ: take the one there is.
      if (Array.isArray(current) && typeof step === 'number' && current.length === 1) current = current[0];
      else current = (current as Record<string | number, unknown>)[step];
    }
    return current;
  }

  /** The resources named by the `references` of an attribute's expression, resolved in the resource's module. */
  referenced(r: TfResource, path: readonly (string | number)[]): TfResource[] {
    const expression = this.expression(r, path);
    const references = expression !== null && typeof expression === 'object' && !Array.isArray(expression) ? (expression as { references?: unknown }).references : undefined;
    if (!Array.isArray(references)) return [];
    const out: TfResource[] = [];
    for (const ref of references) {
      if (typeof ref !== 'string') continue;
      for (const target of this.resolveReference(r, ref)) if (!out.includes(target)) out.push(target);
    }
    return out;
  }

  /** `aws_vpc.main.id`, `aws_subnet.a[0]`, `aws_subnet.a` (every instance, or the one of the same key). */
  private resolveReference(from: TfResource, ref: string): TfResource[] {
    const parts = ref.match(/^([A-Za-z][\w-]*\.[A-Za-z_][\w-]*)((?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?)/);
    if (!parts || ref.startsWith('var.') || ref.startsWith('local.') || ref.startsWith('module.') || ref.startsWith('data.') || ref.startsWith('each.') || ref.startsWith('count.')) return [];
    const base = `${from.modulePrefix}${parts[1]}`;
    if (parts[2]) {
      const exact = this.byAddress.get(`${base}${parts[2]}`);
      return exact ? [exact] : [];
    }
    const instances = (this.byConfigKey.get(stripKeys(base)) ?? []).filter((t) => t.modulePrefix === from.modulePrefix);
    if (instances.length <= 1) return instances;
    // `aws_subnet.a[count.index]` from `aws_route_table_association.a[1]`: the instance of the same key.
    const same = from.index !== undefined ? instances.filter((t) => t.index === from.index) : [];
    return same.length === 1 ? same : instances;
  }
}
