import { describe, expect, it } from 'vitest'
import { healthBadge } from './health.js'

describe('healthBadge', () => {
  it.each([
    ['ok', 'OK', 'ok'],
    ['stale', 'Stale', 'warn'],
    ['silent', 'Silent', 'bad'],
    ['never', 'Never seen', 'muted'],
  ])('%s reads %s with tone %s', (health, text, tone) => {
    const badge = healthBadge(health)
    expect([badge.text, badge.tone]).toEqual([text, tone])
    expect(badge.description.length).toBeGreaterThan(0)
  })

  it('shows an unknown state as itself, muted', () => {
    expect(healthBadge('flapping')).toMatchObject({ text: 'flapping', tone: 'muted' })
    expect(healthBadge('').text).toBe('Unknown')
  })
})
