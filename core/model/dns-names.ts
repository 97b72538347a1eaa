/**
 * Domain names as the DNS parts of Topolab use them: lower case, no trailing dot
 * (`www.shop.example`). Pure, so the validator, the exporters and the lab share one rule.
 */

/** The most octets a name may take on the wire (RFC 1035 §2.3.4), length bytes included. */
const MAX_NAME_OCTETS = 255;
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** `WWW.Shop.Example.` -> `www.shop.example`; the root is the empty string. */
export function normalizeDomainName(name: string): string {
  let n = name.trim().toLowerCase();
  while (n.endsWith('.')) n = n.slice(0, -1);
  return n;
}

/**
 * Why `name` is not a usable host or zone name, or undefined when it is: labels of 1–63
 * letters, digits, `-` (not at either end) or `_` (service labels such as `_dmarc`), at most
 * 255 octets in wire form. A leading `*` label is allowed only when `wildcard` is true.
 */
export function domainNameProblem(name: string, wildcard = false): string | undefined {
  const n = normalizeDomainName(name);
  if (n === '') return 'the name is empty';
  if (n.length + 2 > MAX_NAME_OCTETS) return `the name is ${n.length + 2} octets long on the wire; the limit is ${MAX_NAME_OCTETS}`;
  const labels = n.split('.');
  for (const [i, label] of labels.entries()) {
    if (wildcard && i === 0 && label === '*') continue;
    if (label === '') return 'the name has an empty label (two dots in a row)';
    if (label.length > 63) return `the label "${label.slice(0, 20)}..." is longer than 63 characters`;
    if (!LABEL.test(label)) return `the label "${label}" may hold only letters, digits, "-" and "_", and may not start or end with "-"`;
  }
  return undefined;
}

/**
 * The full name of a record of `zone`: `www` -> `www.shop.example`, `@` or `""` -> the apex.
 * A name already ending in the zone's name (with a trailing dot, as in zone files) is taken as
 * absolute.
 */
export function recordFqdn(recordName: string, zoneName: string): string {
  const zone = normalizeDomainName(zoneName);
  const raw = recordName.trim();
  if (raw === '@' || raw === '') return zone;
  if (raw.endsWith('.')) return normalizeDomainName(raw);
  const relative = normalizeDomainName(raw);
  return zone === '' ? relative : `${relative}.${zone}`;
}

/** Whether `name` is `zone` itself or a name below it. */
export function isInZone(name: string, zone: string): boolean {
  const n = normalizeDomainName(name);
  const z = normalizeDomainName(zone);
  return z === '' || n === z || n.endsWith(`.${z}`);
}

/**
 * Whether `name` falls in one of the zones among `nodes` (a name the lab's DNS answers), so a
 * field that takes a node id may hold it instead (`NodeReference.dnsNames`). Zones whose
 * name has no dot are left out: a bare label is more likely a mistyped node id.
 */
export function isDesignZoneName(nodes: readonly { kind: string; name?: string | undefined }[], name: string): boolean {
  return designZoneNames(nodes).some((zone) => isInZone(name, zone));
}

/** The names of the zones among `nodes` that may hold a host name (see `isDesignZoneName`). */
export function designZoneNames(nodes: readonly { kind: string; name?: string | undefined }[]): string[] {
  return nodes.flatMap((n) => (n.kind === 'dns-zone' && n.name !== undefined && n.name.includes('.') ? [n.name] : []));
}
