/**
 * nftables rulesets of the kernel lab, as text for `nft -f`. Names are the lab's own
 * (`topolab-*` tables inside the lab's namespaces); nothing here touches the host.
 */

/** One 1:1 translation of an internet gateway: a node's private IPv4 address and its public one. */
export interface GatewayMapping {
  private: string;
  public: string;
  /** Whether the internet may open connections to it (false: replies only, as a NAT gateway). */
  inbound: boolean;
}

/**
 * The internet gateway of a VPC, on the router's `dev` link to the internet: 1:1 NAT
 * between each node's private IPv4 address and its public one (new connections from the
 * internet only to nodes that accept them), IPv6 passed untranslated to and from global
 * addresses that have a public role, and anything else crossing the gateway dropped: an
 * internet gateway carries traffic only for addresses it has a public address for.
 */
export function gatewayRuleset(dev: string, mappings: readonly GatewayMapping[], v6: { inbound: readonly string[]; outbound: readonly string[] }): string {
  const inbound = mappings.filter((m) => m.inbound);
  const lines = ['table inet topolab-igw {'];
  lines.push(...set('out4', 'ipv4_addr', mappings.map((m) => m.private)));
  lines.push(...set('in6', 'ipv6_addr', v6.inbound));
  lines.push(...set('out6', 'ipv6_addr', v6.outbound));
  lines.push('  chain prerouting {', '    type nat hook prerouting priority dstnat; policy accept;');
  if (inbound.length > 0) lines.push(`    iifname "${dev}" dnat ip to ip daddr map { ${inbound.map((m) => `${m.public} : ${m.private}`).join(', ')} }`);
  lines.push('  }', '  chain postrouting {', '    type nat hook postrouting priority srcnat; policy accept;');
  if (mappings.length > 0) lines.push(`    oifname "${dev}" snat ip to ip saddr map { ${mappings.map((m) => `${m.private} : ${m.public}`).join(', ')} }`);
  lines.push('  }', '  chain forward {', '    type filter hook forward priority filter; policy accept;');
  lines.push(`    iifname "${dev}" ct state established,related accept`);
  lines.push(`    iifname "${dev}" ct status dnat accept`);
  if (v6.inbound.length > 0) lines.push(`    iifname "${dev}" ip6 daddr @in6 accept`);
  lines.push(`    iifname "${dev}" drop`);
  lines.push(`    oifname "${dev}" ct state established,related accept`);
  if (mappings.length > 0) lines.push(`    oifname "${dev}" ip saddr @out4 accept`);
  if (v6.outbound.length > 0) lines.push(`    oifname "${dev}" ip6 saddr @out6 accept`);
  lines.push(`    oifname "${dev}" drop`, '  }', '}');
  return `${lines.join('\n')}\n`;
}

/**
 * A NAT gateway: every connection it forwards leaves with its own address (masquerade);
 * a packet of no connection it translated (a reply whose route leads through it but whose
 * request did not) is dropped, as an AWS NAT gateway drops what it has no translation for.
 */
export function natGatewayRuleset(dev: string, own: string): string {
  return [
    'table ip topolab-nat {',
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    '    ct state invalid drop',
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    oifname "${dev}" ip saddr != ${own} masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function set(name: string, type: string, elements: readonly string[]): string[] {
  if (elements.length === 0) return [`  set ${name} { type ${type}; }`];
  return [`  set ${name} { type ${type}; elements = { ${elements.join(', ')} } }`];
}
