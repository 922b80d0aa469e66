import { describe, expect, it } from 'vitest'
import { checkUrl, isPublicAddress } from './url-guard.js'

const web = { schemes: ['http', 'https'], allowPrivate: false } as const

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:c0a8:0101::1',
  ])('refuses %s', (a) => expect(isPublicAddress(a)).toBe(false))

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts %s',
    (a) => expect(isPublicAddress(a)).toBe(true),
  )
})

describe('checkUrl', () => {
  it('accepts a public address literal', async () => {
    await expect(checkUrl('https://8.8.8.8/hook', web)).resolves.toBeUndefined()
  })

  it.each([
    ['http://127.0.0.1:8080/x', 'non-public'],
    ['http://[::1]/x', 'non-public'],
    ['http://[::ffff:127.0.0.1]/x', 'non-public'],
    ['http://2130706433/x', 'non-public'], // the WHATWG parser reads it as 127.0.0.1
    ['http://0x7f.1/x', 'non-public'],
    ['ftp://example.org/x', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['not a url', 'absolute URL'],
  ])('refuses %s as BadRequestData', async (url, why) => {
    await expect(checkUrl(url, web)).rejects.toMatchObject({
      kind: 'BadRequestData',
      message: expect.stringContaining(why) as unknown,
    })
  })

  it('resolves host names and refuses any private answer (the system resolver: localhost)', async () => {
    await expect(checkUrl('http://localhost:9/x', web)).rejects.toMatchObject({
      kind: 'BadRequestData',
    })
  })

  it('refuses a name when one of its addresses is private', async () => {
    const resolve = (host: string) =>
      Promise.resolve(host === 'mixed.example' ? ['8.8.8.8', '10.0.0.7'] : ['8.8.4.4'])
    await expect(checkUrl('http://mixed.example/', { ...web, resolve })).rejects.toMatchObject({
      kind: 'BadRequestData',
    })
    await expect(checkUrl('http://fine.example/', { ...web, resolve })).resolves.toBeUndefined()
  })

  it('allows private addresses only when the policy says so', async () => {
    await expect(
      checkUrl('http://127.0.0.1:1/x', { ...web, allowPrivate: true }),
    ).resolves.toBeUndefined()
  })

  it('applies the host allow-list before anything else', async () => {
    const policy = { ...web, allowPrivate: true, allowHosts: ['Hooks.City.example'] }
    await expect(checkUrl('https://hooks.city.example/a', policy)).resolves.toBeUndefined()
    await expect(checkUrl('https://evil.example/a', policy)).rejects.toMatchObject({
      kind: 'BadRequestData',
      message: expect.stringContaining('allow-list') as unknown,
    })
  })

  it('takes the schemes from the policy (MQTT notifications)', async () => {
    const mqtt = { schemes: ['mqtt', 'mqtts'], allowPrivate: true }
    await expect(checkUrl('mqtt://127.0.0.1:1883/t', mqtt)).resolves.toBeUndefined()
    await expect(checkUrl('http://127.0.0.1/t', mqtt)).rejects.toMatchObject({
      kind: 'BadRequestData',
    })
  })

  it('reports an unresolvable host as BadRequestData', async () => {
    const resolve = () => Promise.reject(new Error('ENOTFOUND'))
    await expect(checkUrl('http://nowhere.invalid/', { ...web, resolve })).rejects.toMatchObject({
      kind: 'BadRequestData',
    })
  })
})
