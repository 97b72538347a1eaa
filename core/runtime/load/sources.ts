/**
 * Distinct loopback source addresses for the traffic generator. Linux routes the whole
 * 127.0.0.0/8 block to the loopback interface, so a socket may bind any 127.x.y.z as its
 * source and a source-hash balancer sees really different clients. Other systems only
 * answer on 127.0.0.1, so there the option is refused rather than silently ignored.
 */

/** The most distinct source addresses one load run may use. */
export const MAX_SOURCE_ADDRESSES = 65_536;

/** Whether binding arbitrary 127.x.y.z source addresses works on this system. */
export function distinctSourcesSupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'linux';
}

/**
 * `count` distinct loopback addresses, 127.1.0.1, 127.1.0.2, ... (skipping .0 and .255 of
 * every /24 so no address looks like a network or broadcast address). 127.0.0.1 is left
 * out on purpose: it is the address of every other client of the lab.
 */
export function loopbackSources(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SOURCE_ADDRESSES) {
    throw new RangeError(`source address count must be an integer from 1 to ${MAX_SOURCE_ADDRESSES}, got ${count}`);
  }
  const out: string[] = [];
  for (let n = 0; out.length < count; n++) {
    const host = (n % 254) + 1;
    const third = Math.floor(n / 254) % 256;
    const second = 1 + Math.floor(n / (254 * 256));
    out.push(`127.${second}.${third}.${host}`);
  }
  return out;
}
