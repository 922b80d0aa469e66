/**
 * Which IP addresses a remote @context may not come from unless configured: loopback, private,
 * link-local, carrier-grade NAT, unique-local, multicast and unspecified ranges (an SSRF guard
 * against reaching the broker's own network).
 *
 * @example
 *   isPrivateAddress('10.1.2.3') // true
 *   isPrivateAddress('93.184.216.34') // false
 */
import { BlockList, isIP } from 'node:net'

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6')
}

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  const family = isIP(bare)
  if (family === 4) return blocked.check(bare, 'ipv4')
  if (family !== 6) return false
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) reaches the IPv4 address it embeds.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)
  if (mapped) return blocked.check(mapped[1]!, 'ipv4')
  return blocked.check(bare, 'ipv6')
}
