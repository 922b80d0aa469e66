/** Keeps the conformance ledger honest (see support/ledger.ts). */
import { describe, expect, it } from 'vitest'
import { readLedger, testedIds } from './support/ledger.js'

describe('conformance ledger', () => {
  const ledger = readLedger()
  const tested = testedIds()

  it('claims "pass" only for ETSI ids that have a test here', () => {
    const untested = [...ledger].filter(([id, o]) => o.status === 'pass' && !tested.has(id))
    expect(untested.map(([id]) => id)).toEqual([])
  })

  it('lists every tested ETSI id as "pass"', () => {
    const unlisted = [...tested.keys()].filter((id) => ledger.get(id)?.status !== 'pass')
    expect(unlisted).toEqual([])
  })

  it('gives a reason for every failure and exclusion', () => {
    const silent = [...ledger].filter(([, o]) => o.status !== 'pass' && o.why.trim().length < 10)
    expect(silent.map(([id]) => id)).toEqual([])
  })
})
