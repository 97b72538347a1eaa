/**
 * Designs the lab benchmarks run: one internet-facing load balancer in a public subnet in
 * front of `servers` built-in servers in a private one, and a client that visits the
 * balancer. Plain JSON, as a user would save it, so the benchmark runs it through the CLI.
 */
export function labDesign(servers: number): Record<string, unknown> {
  const serverIds = Array.from({ length: servers }, (_, i) => `web-${i + 1}`);
  return {
    schema: 'topolab/1',
    name: `Balancer and ${servers} servers (benchmark)`,
    nodes: [
      { id: 'vpc', kind: 'vpc', name: 'VPC', cidr: '10.0.0.0/16' },
      { id: 'igw', kind: 'internet-gateway', name: 'Internet gateway', parent: 'vpc' },
      { id: 'public', kind: 'subnet', name: 'Public', parent: 'vpc', cidr: '10.0.0.0/24' },
      { id: 'app', kind: 'subnet', name: 'App', parent: 'vpc', cidr: '10.0.8.0/21' },
      { id: 'rt-public', kind: 'route-table', name: 'Public routes', parent: 'vpc', subnets: ['public'], routes: [{ destination: '0.0.0.0/0', target: 'igw' }] },
      { id: 'rt-private', kind: 'route-table', name: 'Private routes', parent: 'vpc', main: true, subnets: ['app'], routes: [] },
      { id: 'lb', kind: 'load-balancer', name: 'Balancer', parent: 'public', internetFacing: true },
      ...serverIds.map((id, i) => ({ id, kind: 'server', name: `Web ${i + 1}`, parent: 'app', port: 8080 })),
      { id: 'visitor', kind: 'client', name: 'Visitor', ip: '203.0.113.10' },
    ],
    edges: [{ id: 'visit', from: 'visitor', to: 'lb' }, ...serverIds.map((id) => ({ id: `lb-${id}`, from: 'lb', to: id }))],
  };
}
