import type { Latency } from '../../model/index.js';

/**
 * One delay in ms drawn from a `Latency` setting: a plain number or `fixed` is that value,
 * `uniform` lies in [ms, spreadMs], `normal` has mean ms and deviation spreadMs (clamped at
 * 0), `exponential` has mean ms. `random` is injectable for tests.
 */
export function sampleLatency(latency: Latency | undefined, random: () => number = Math.random): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  const { distribution, ms } = latency;
  const spread = latency.spreadMs ?? 0;
  switch (distribution) {
    case 'fixed':
      return ms;
    case 'uniform':
      return spread > ms ? ms + random() * (spread - ms) : ms;
    case 'normal': {
      // Box-Muller; 1 - u keeps the logarithm finite.
      const u = 1 - random();
      const v = random();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.max(0, ms + z * spread);
    }
    case 'exponential':
      return -ms * Math.log(1 - random());
  }
}
