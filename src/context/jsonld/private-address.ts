/**
 * Whether an IP address is one a remote @context may not come from: anything the shared SSRF guard
 * does not call public (private, loopback, link-local, multicast, reserved; IPv4 and IPv6).
 *
 * @example
 *   isPrivateAddress('10.1.2.3') // true
 *   isPrivateAddress('93.184.216.34') // false
 */
import { isPublicAddress } from '../../security/url-guard.js'

export function isPrivateAddress(address: string): boolean {
  return !isPublicAddress(address)
}
