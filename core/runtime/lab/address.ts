import type { DesignedAddress } from './plan-types.js';

/** `10.0.1.10:80`, `[2001:db8::1]:80`: a designed address as people and headers write it. */
export function formatAddress(address: DesignedAddress): string {
  return address.ip.includes(':') ? `[${address.ip}]:${address.port}` : `${address.ip}:${address.port}`;
}
