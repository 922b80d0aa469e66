/**
 * The SSRF guard for every URL the server itself calls (subscription callbacks, remote @contexts):
 * only the allowed schemes, an optional host allow-list, and no host that resolves to a private,
 * loopback, link-local, multicast, unspecified or otherwise reserved address (IPv4 and IPv6,
 * including IPv4-mapped and NAT64 forms) unless the policy allows private addresses.
 *
 * Check at the moment of use, not only when the URL is stored: DNS answers change. The check and
 * the connection resolve separately, so a host whose answer flips in between (DNS rebinding) is
 * not covered here; callers that need that pin the checked address.
 *
 * @example
 *   await checkUrl('https://city.example/hook', { schemes: ['http', 'https'], allowPrivate: false })
 *   // throws AppError('BadRequestData') for http://127.0.0.1/ or http://10.0.0.5/
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { AppError } from '../core/errors.js'

export interface UrlPolicy {
  /** Scheme names without the colon, e.g. `['http', 'https']` or `['mqtt', 'mqtts']`. */
  schemes: readonly string[]
  /** Let hosts resolve to private, loopback and other non-public addresses (tests, LANs). */
  allowPrivate: boolean
  /** When non-empty, only these host names (exact, case-insensitive) are accepted. */
  allowHosts?: readonly string[]
  /** All addresses of a host name; defaults to the system resolver. */
  resolve?: (host: string) => Promise<string[]>
}

/** @throws AppError('BadRequestData') when the URL may not be called under the policy. */
export async function checkUrl(url: string, policy: UrlPolicy): Promise<void> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw refuse(url, 'it is not an absolute URL')
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase()
  if (!policy.schemes.includes(scheme))
    throw refuse(url, `the scheme must be one of ${policy.schemes.join(', ')}`)
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === '') throw refuse(url, 'it has no host')
  if (policy.allowHosts && policy.allowHosts.length > 0) {
    if (!policy.allowHosts.some((h) => h.toLowerCase() === host))
      throw refuse(url, `the host ${host} is not in the allow-list`)
  }
  if (policy.allowPrivate) return
  const addresses = isIP(host) ? [host] : await resolveHost(host, policy)
  if (addresses.length === 0) throw refuse(url, `the host ${host} has no address`)
  for (const address of addresses) {
    if (!isPublicAddress(address))
      throw refuse(url, `the host ${host} resolves to the non-public address ${address}`)
  }
}

async function resolveHost(host: string, policy: UrlPolicy): Promise<string[]> {
  try {
    if (policy.resolve) return await policy.resolve(host)
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
  } catch {
    throw new AppError('BadRequestData', `the host ${host} cannot be resolved`)
  }
}

function refuse(url: string, why: string): AppError {
  return new AppError('BadRequestData', `the URL ${url} is not allowed: ${why}`)
}

/** IPv4 ranges that are not globally reachable (RFC 6890 special-purpose registry, simplified). */
const V4_BLOCKED: readonly [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network", unspecified
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 shared address space (CGNAT)
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata endpoints live here)
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 IETF protocol assignments
  [0xc0000200, 24], // 192.0.2/24 documentation
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 documentation
  [0xcb007100, 24], // 203.0.113/24 documentation
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved, incl. 255.255.255.255 broadcast
]

/** Whether an IP address (v4 or v6 text) is globally reachable. */
export function isPublicAddress(address: string): boolean {
  const kind = isIP(address)
  if (kind === 4) return isPublicV4(v4ToInt(address))
  if (kind === 6) return isPublicV6(address)
  return false
}

function v4ToInt(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

function isPublicV4(ip: number): boolean {
  return !V4_BLOCKED.some(([base, bits]) => ip >>> (32 - bits) === base >>> (32 - bits))
}

function isPublicV6(address: string): boolean {
  const g = v6Groups(address.replace(/%.*$/, ''))
  if (!g) return false
  const first = g[0]!
  if (g.every((x) => x === 0)) return false // :: unspecified
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false // ::1 loopback
  const embeddedV4 = ((g[6]! << 16) >>> 0) + g[7]!
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible) reach the IPv4 address.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0))
    return isPublicV4(embeddedV4)
  // 64:ff9b::/96 NAT64 translates to the embedded IPv4 address.
  if (first === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return isPublicV4(embeddedV4)
  // 2002::/16 6to4 embeds an IPv4 address in groups 1-2.
  if (first === 0x2002) return isPublicV4(((g[1]! << 16) >>> 0) + g[2]!)
  if ((first & 0xfe00) === 0xfc00) return false // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return false // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return false // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return false // ff00::/8 multicast
  if (first === 0x2001 && g[1] === 0x0db8) return false // 2001:db8::/32 documentation
  if (first === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return false // 100::/64 discard
  return true
}

/** Eight 16-bit groups, or undefined when the text is not IPv6. */
function v6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase()
  // A trailing dotted IPv4 part becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const v4 = v4ToInt(dotted[1]!)
    text = text.slice(0, dotted.index) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)))
  const head = parse(halves[0]!)
  const tail = halves.length === 2 ? parse(halves[1]!) : []
  const fill = 8 - head.length - tail.length
  if (halves.length === 1 ? head.length !== 8 : fill < 0) return undefined
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail]
  return groups.some((x) => Number.isNaN(x) || x < 0 || x > 0xffff) ? undefined : groups
}
