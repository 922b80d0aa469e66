import { describe, expect, it } from 'vitest'
import { entityHref } from '../api/urls.js'
import { matchPath, matchRoute, splitHash, toHash } from './match-route.js'

const routes = [{ path: '/' }, { path: '/devices' }, { path: '/entity/:id' }] as const

describe('hash routing', () => {
  it('normalises empty and trailing-slash hashes', () => {
    expect(splitHash('')).toEqual({ path: '/', search: '' })
    expect(splitHash('#')).toEqual({ path: '/', search: '' })
    expect(splitHash('#/devices/')).toEqual({ path: '/devices', search: '' })
    expect(splitHash('#devices?q=a')).toEqual({ path: '/devices', search: 'q=a' })
  })

  it('matches static routes and their query', () => {
    expect(matchRoute(routes, '')?.route.path).toBe('/')
    const m = matchRoute(routes, '#/devices?q=lora&offset=50')
    expect(m?.route.path).toBe('/devices')
    expect(m?.query.get('q')).toBe('lora')
    expect(m?.query.get('offset')).toBe('50')
  })

  it('round-trips an entity id through entityHref', () => {
    const id = 'urn:ngsi-ld:ParkingSpot:north/12 b?x'
    const m = matchRoute(routes, entityHref(id))
    expect(m?.route.path).toBe('/entity/:id')
    expect(m?.params.id).toBe(id)
  })

  it('rejects unknown paths, empty params and bad escapes', () => {
    expect(matchRoute(routes, '#/alarms')).toBeUndefined()
    expect(matchPath('/entity/:id', '/entity/')).toBeUndefined()
    expect(matchPath('/entity/:id', '/entity/%E0%A4%A')).toBeUndefined()
    expect(matchPath('/entity/:id', '/entity/a/b')).toBeUndefined()
  })

  it('builds hashes, dropping empty query values', () => {
    expect(toHash('/devices')).toBe('#/devices')
    expect(toHash('/devices', { q: 'a b', offset: 0, x: undefined, y: '' })).toBe(
      '#/devices?q=a+b&offset=0',
    )
  })
})
