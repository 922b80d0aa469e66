import { describe, expect, it } from 'vitest'
import mqttPacket from 'mqtt-packet'
import { PacketSizeGuard } from './packet-size-guard.js'

const publish = (bytes: number) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 't/x',
    payload: Buffer.alloc(bytes),
    qos: 1,
    messageId: 1,
    dup: false,
    retain: false,
  })

describe('PacketSizeGuard', () => {
  it('passes packets under the limit, split at every byte boundary', () => {
    const stream = Buffer.concat([publish(10), publish(1000), publish(200)])
    for (let cut = 0; cut <= stream.length; cut += 7) {
      const g = new PacketSizeGuard(2000)
      expect(g.feed(stream.subarray(0, cut))).toBe('ok')
      expect(g.feed(stream.subarray(cut))).toBe('ok')
    }
  })

  it('flags a packet over the limit from its header alone', () => {
    const g = new PacketSizeGuard(1024)
    const big = publish(150 * 1024 * 1024)
    // Only the first 5 header bytes are needed: the body has not arrived.
    expect(g.feed(big.subarray(0, 5))).toBe('too-large')
  })

  it('flags the second packet when only it is too large', () => {
    const g = new PacketSizeGuard(500)
    expect(g.feed(Buffer.concat([publish(100), publish(600)]))).toBe('too-large')
  })

  it('flags a malformed remaining length', () => {
    const g = new PacketSizeGuard(1 << 30)
    expect(g.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe('malformed')
  })
})
