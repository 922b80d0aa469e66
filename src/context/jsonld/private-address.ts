/**
 * Whether an IP address is one a remote @context may not come from: anything the shared SSRF guard
 * does not call public (private, loopback, link-local, multicast, reserved; IPv4 and IPv6).
 *
 * @example
 *   isPrivateAddress('10.1.2.3') // true
 *   isPrivateAddress('93.184.216.34') // false
 */
import { isIP } from 'node:net'
import { isPublicAddress } from '../../security/url-guard.js'

/** Not an IP address at all: false (host names are resolved and checked elsewhere). */
export function isPrivateAddress(address: string): boolean {
  return isIP(address) !== 0 && !isPublicAddress(address)
}
