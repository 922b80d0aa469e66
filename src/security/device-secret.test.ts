import { describe, expect, it } from 'vitest'
import { hashDeviceSecret, newDeviceSecret, verifyDeviceSecret } from './device-secret.js'

describe('device secrets', () => {
  it('verifies the right secret and rejects others', () => {
    const s = newDeviceSecret()
    const h = hashDeviceSecret(s)
    expect(verifyDeviceSecret(s, h)).toBe(true)
    expect(verifyDeviceSecret(s + 'x', h)).toBe(false)
    expect(verifyDeviceSecret(newDeviceSecret(), h)).toBe(false)
  })
  it('salts: the same secret hashes differently', () => {
    const s = newDeviceSecret()
    expect(hashDeviceSecret(s)).not.toBe(hashDeviceSecret(s))
  })
  it('never accepts a malformed stored hash', () => {
    expect(verifyDeviceSecret('a', 'plain')).toBe(false)
    expect(verifyDeviceSecret('a', 'md5$x$y')).toBe(false)
  })
  it('makes secrets of 256 bits', () => {
    expect(Buffer.from(newDeviceSecret(), 'base64url')).toHaveLength(32)
  })
})
