import { HostProcess } from './host-process.js';
import type { KernelNetworkPlan } from './plan/types.js';
import type { KernelSandbox } from './sandbox.js';

/** What the resolvers need from the lab: its DNS server's answer to a relayed message, and its log. */
export interface ResolverWiring {
  /** The answer for a client at `from` asking VPC `vpcId`'s resolver; `undefined` drops the message. */
  answer: (message: Buffer, transport: 'udp' | 'tcp', from: string, vpcId: string) => Buffer | undefined;
  log: (vpcId: string, message: string) => void;
}

/**
 * Each VPC's resolver at base + 2 (plan.resolvers, only for a design with DNS zones): a host
 * in the VPC's router namespace reads DNS messages there (host/dns-relay.ts) and relays each
 * to the lab's one DNS server, which answers for that VPC. Resolves with the hosts, to close
 * at stop; on a failure, closes those already started.
 */
export async function startResolvers(sandbox: KernelSandbox, plan: KernelNetworkPlan, wiring: ResolverWiring): Promise<HostProcess[]> {
  const hosts: HostProcess[] = [];
  try {
    for (const [vpcId, address] of Object.entries(plan.resolvers)) {
      const ns = plan.routers[vpcId];
      if (ns === undefined) continue;
      const host = new HostProcess(sandbox, ns);
      hosts.push(host);
      host.onEvent = (event) => {
        if (event.event !== 'dns') return;
        const { query, transport, from, message } = event.data;
        const reply = wiring.answer(Buffer.from(message, 'base64'), transport, from, vpcId);
        host.call({ op: 'dns.answer', query, message: reply ? reply.toString('base64') : null }).catch(() => undefined);
      };
      host.onExit = (_code, _signal, output) => wiring.log(vpcId, `the DNS resolver of ${vpcId} (${address}) ended: ${output.trim().split('\n').pop() ?? ''}`);
      await host.call({ op: 'dns.listen', host: address, port: 53 });
    }
    return hosts;
  } catch (error) {
    await Promise.allSettled(hosts.map((h) => h.close()));
    throw error;
  }
}
