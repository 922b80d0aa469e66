import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Entity } from '../../core/ngsi.js'
import { evaluateQ, qAttributes } from './evaluate-q.js'
import { parseQ } from './parse-q.js'

const V = 'https://ex.org/'
const expand = (t: string): string => (t.includes(':') ? t : `${V}${t}`)

const vehicle: Entity = {
  id: 'urn:ngsi-ld:Vehicle:A1',
  types: [`${V}Vehicle`],
  createdAt: '2024-01-01T00:00:00Z',
  modifiedAt: '2024-01-02T00:00:00Z',
  attrs: {
    [`${V}speed`]: [
      {
        type: 'Property',
        value: 80,
        observedAt: '2017-12-24T12:00:00Z',
        unitCode: 'KMH',
        [`${V}accuracy`]: { type: 'Property', value: 0.9 },
        [`${V}measuredBy`]: { type: 'Relationship', object: 'urn:ngsi-ld:Device:d1' },
      },
    ],
    [`${V}brandName`]: [{ type: 'Property', value: 'Mercedes' }],
    [`${V}temperature`]: [
      { type: 'Property', value: 15, datasetId: 'urn:ds:a' },
      { type: 'Property', value: 25, datasetId: 'urn:ds:b' },
    ],
    [`${V}color`]: [{ type: 'Property', value: ['black', 'white'] }],
    [`${V}almostFull`]: [{ type: 'Property', value: false }],
    [`${V}locatedIn`]: [{ type: 'Relationship', object: 'urn:ngsi-ld:City:Pisa' }],
    [`${V}friends`]: [{ type: 'ListRelationship', objectList: ['urn:a:1', 'urn:a:2'] }],
    [`${V}address`]: [
      {
        type: 'Property',
        value: { city: 'Berlin', street: { name: 'Unter den Linden', number: 5 } },
      },
    ],
    [`${V}stops`]: [{ type: 'Property', value: [{ name: 'A' }, { name: 'B' }] }],
    [`${V}street`]: [
      {
        type: 'LanguageProperty',
        languageMap: { fr: 'Grand Place', nl: ['Grote Markt', 'Markt'] },
      },
    ],
    [`${V}category`]: [{ type: 'VocabProperty', vocab: `${V}commercial` }],
    [`${V}config`]: [{ type: 'JsonProperty', json: { mode: 'eco' } }],
    [`${V}readings`]: [{ type: 'ListProperty', valueList: [1, 2, 3] }],
    [`${V}opened`]: [{ type: 'Property', value: '2020-05-01' }],
    [`${V}openAt`]: [{ type: 'Property', value: '08:30:00' }],
    [`${V}installedAt`]: [
      { type: 'Property', value: { '@type': 'DateTime', '@value': '2021-03-01T10:00:00+02:00' } },
    ],
    [`${V}expanded`]: [{ type: 'Property', value: { [`${V}depth`]: 3 } }],
    [`${V}location`]: [
      { type: 'GeoProperty', value: { type: 'Point', coordinates: [10.4, 43.7] } },
    ],
    'https://other.org/level': [{ type: 'Property', value: 3 }],
  },
}

describe('evaluateQ', () => {
  const cases: [string, boolean][] = [
    // existence
    ['speed', true],
    ['missing', false],
    ['speed.accuracy', true],
    ['speed.missing', false],
    ['speed.observedAt', true],
    ['brandName.observedAt', false],
    ['address[city]', true],
    ['address[country]', false],
    ['street[de]', false],
    // numbers and every comparison operator
    ['speed>50', true],
    ['speed>80', false],
    ['speed>=80', true],
    ['speed<80', false],
    ['speed<=80', true],
    ['speed==80', true],
    ['speed!=80', false],
    ['speed!=81', true],
    ['speed.accuracy>0.5', true],
    // logic and precedence (; binds tighter than |)
    ['speed>50;brandName!="Mercedes"', false],
    ['speed>50;brandName=="Mercedes"', true],
    ['speed>90|brandName=="Mercedes"', true],
    ['speed>90;brandName=="Mercedes"|almostFull==false', true],
    ['speed>90;(brandName=="Mercedes"|almostFull==false)', false],
    ['(name=="A"|name=="B");almostFull==false', false],
    // lists and ranges (inclusive)
    ['brandName=="BMW","Mercedes"', true],
    ['brandName!="BMW","Mercedes"', false],
    ['brandName!="BMW","Audi"', true],
    ['speed==70..90', true],
    ['speed==80..80', true],
    ['speed==81..90', false],
    ['speed!=81..90', true],
    ['brandName=="M".."N"', true],
    ['speed=="a".."z"', false],
    // type mismatch: no match, except !=
    ['speed=="80"', false],
    ['speed!="80"', true],
    ['brandName>5', false],
    ['speed>2017-01-01', false],
    ['speed!=2017-01-01', true],
    ['missing!=5', false],
    // booleans
    ['almostFull==false', true],
    ['almostFull==true', false],
    ['almostFull>false', false],
    // regular expressions, strings only
    ['brandName~="Merc.*"', true],
    ['brandName~="^B"', false],
    ['brandName!~="^B"', true],
    ['brandName!~="^M"', false],
    ['brandName~="mercedes"', false],
    ['brandName~="(?i)mercedes"', true],
    ['speed~="8"', false],
    ['speed!~="8"', false],
    ['color~="^wh"', true],
    ['color!~="^wh"', false],
    // multi-attribute: any instance may match
    ['temperature==25', true],
    ['temperature==15', true],
    ['temperature>20', true],
    ['temperature<10', false],
    ['temperature>20;temperature<20', true],
    ['temperature.datasetId==urn:ds:b', true],
    ['temperature.datasetId=="urn:ds:c"', false],
    // arrays match if any element matches; != if none equals
    ['color=="black"', true],
    ['color=="red"', false],
    ['color!="black"', false],
    ['color!="red"', true],
    ['readings>2', true],
    ['readings==4', false],
    // relationships: object with == and != only
    ['locatedIn==urn:ngsi-ld:City:Pisa', true],
    ['locatedIn=="urn:ngsi-ld:City:Pisa"', true],
    ['locatedIn==urn:ngsi-ld:City:Rome,urn:ngsi-ld:City:Pisa', true],
    ['locatedIn!=urn:ngsi-ld:City:Rome', true],
    ['locatedIn!=urn:ngsi-ld:City:Pisa', false],
    ['locatedIn~="Pisa"', false],
    ['locatedIn>"urn:a"', false],
    ['friends==urn:a:2', true],
    ['speed.measuredBy==urn:ngsi-ld:Device:d1', true],
    // compound values
    ['address[city]=="Berlin"', true],
    ['address[city]=="Paris"', false],
    ['address[street.number]>=5', true],
    ['address[street.name]~="Linden"', true],
    ['address[*]=="Berlin"', true],
    ['stops[name]=="B"', true],
    ['expanded[depth]==3', true],
    ['config[mode]=="eco"', true],
    ['location[type]=="Point"', true],
    // LanguageProperty
    ['street[fr]=="Grand Place"', true],
    ['street[nl]=="Grand Place"', false],
    ['street[nl]=="Markt"', true],
    ['street[*]=="Grote Markt"', true],
    ['street=="Grote Markt"', true],
    // VocabProperty holds the expanded term: a short one matches only once expandValues expands it
    ['category=="commercial"', false],
    ['category!="commercial"', true],
    ['category=="https://ex.org/commercial"', true],
    ['category==https://ex.org/commercial', true],
    ['category=="residential"', false],
    // temporal values
    ['speed.observedAt>=2017-12-24T12:00:00Z', true],
    ['speed.observedAt>2017-12-24T12:00:00Z', false],
    ['speed.observedAt>2017-12-24T13:00:00+02:00', true],
    ['speed.observedAt==2017-12-24T12:00:00.000Z', true],
    ['speed.observedAt==2017-12-24T12:00:00', true],
    ['speed.observedAt<2017-12-25', true],
    ['speed.observedAt==2017-12-24T00:00:00Z..2017-12-31', true],
    ['speed.observedAt!=2017-12-25..2017-12-31', true],
    ['opened>2020-04-30', true],
    ['opened==2020-05-01', true],
    ['opened<2020-05-01T00:00:01Z', true],
    ['openAt<09:00:00', true],
    ['openAt>=08:30', true],
    ['openAt==08:30:00', true],
    ['openAt>2020-01-01', false],
    ['installedAt<2021-03-01T09:00:00Z', true],
    ['installedAt<2021-03-01T07:00:00Z', false],
    ['speed.unitCode=="KMH"', true],
    // attribute given as a full IRI
    ['https://other.org/level==3', true],
    ['https://other.org/level.observedAt', false],
    // negated existence (an extension to the V1.9.1 grammar)
    ['!brandName', false],
    ['!heading', true],
    ['!heading;speed>50', true],
    ['!speed|brandName=="Mercedes"', true],
    ['!speed.unitCode', false],
    ['!speed.precision', true],
    ['!address[postcode]', true],
    // linked entities are parsed but not evaluated yet
    ['locatedIn{City:population}>1', false],
    ['locatedIn{population}', false],
  ]
  it.each(cases)('%s → %s', (q, expected) => {
    expect(evaluateQ(parseQ(q), vehicle, expand)).toBe(expected)
  })

  it('never matches an entity without attributes', () => {
    const bare: Entity = { ...vehicle, attrs: {} }
    expect(evaluateQ(parseQ('speed!=1|brandName'), bare, expand)).toBe(false)
  })

  it('a negated path holds exactly when the plain path does not', () => {
    for (const path of ['speed', 'heading', 'speed.unitCode', 'address[city]', 'street[nl]'])
      expect(evaluateQ(parseQ(`!${path}`), vehicle, expand)).toBe(
        !evaluateQ(parseQ(path), vehicle, expand),
      )
  })

  it('negates a linked-entity term as a whole', () => {
    const car: Entity = {
      ...vehicle,
      attrs: { [`${V}owner`]: [{ type: 'Relationship', object: 'urn:p:1' }] },
    }
    const owner: Entity = {
      ...vehicle,
      id: 'urn:p:1',
      attrs: { [`${V}name`]: [{ type: 'Property', value: 'Ada' }] },
    }
    const resolve = (id: string) => (id === owner.id ? owner : undefined)
    expect(evaluateQ(parseQ('!owner{name}'), car, expand, resolve)).toBe(false)
    expect(evaluateQ(parseQ('!owner{age}'), car, expand, resolve)).toBe(true)
  })
})

describe('qAttributes', () => {
  const cases: [string, string[]][] = [
    ['speed', [`${V}speed`]],
    ['speed>1;(brandName=="x"|speed<3)', [`${V}speed`, `${V}brandName`]],
    ['a.b[c]|https://other.org/level==3', [`${V}a`, 'https://other.org/level']],
    ['sensor{Device:humidity}==40', [`${V}sensor`]],
    ['!heading;speed>1', [`${V}heading`, `${V}speed`]],
  ]
  it.each(cases)('%s', (q, expected) => {
    expect(qAttributes(parseQ(q), expand)).toEqual(expected)
  })
})

describe('evaluateQ: properties', () => {
  type F = { leaf: boolean } | { and: F[] } | { or: F[] }
  const { formula } = fc.letrec<{ formula: F }>((tie) => ({
    formula: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.boolean().map((leaf) => ({ leaf })),
      fc.array(tie('formula'), { minLength: 2, maxLength: 3 }).map((and) => ({ and })),
      fc.array(tie('formula'), { minLength: 2, maxLength: 3 }).map((or) => ({ or })),
    ),
  }))
  const truth = (f: F): boolean =>
    'leaf' in f ? f.leaf : 'and' in f ? f.and.every(truth) : f.or.some(truth)
  // Parentheses only where precedence needs them, so the parser's precedence is what is tested.
  const render = (f: F): string => {
    if ('leaf' in f) return f.leaf ? 'speed==80' : 'speed==1'
    if ('or' in f) return f.or.map(render).join('|')
    return f.and.map((c) => ('or' in c ? `(${render(c)})` : render(c))).join(';')
  }

  it('agrees with boolean logic where ; binds tighter than |', () => {
    fc.assert(
      fc.property(formula, (f) => evaluateQ(parseQ(render(f)), vehicle, expand) === truth(f)),
      { numRuns: 500 },
    )
  })

  it('!= is the negation of == for a single-valued attribute', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        const eq = evaluateQ(parseQ(`speed==${n}`), vehicle, expand)
        return evaluateQ(parseQ(`speed!=${n}`), vehicle, expand) === !eq
      }),
    )
  })
})

describe('evaluateQ: linked-entity terms (§4.9)', () => {
  const owner: Entity = {
    id: 'urn:p:1',
    types: [`${V}Person`],
    createdAt: '2024-01-01T00:00:00Z',
    modifiedAt: '2024-01-01T00:00:00Z',
    attrs: { [`${V}name`]: [{ type: 'Property', value: 'Ada' }] },
  }
  const car: Entity = {
    id: 'urn:c:1',
    types: [`${V}Car`],
    createdAt: '2024-01-01T00:00:00Z',
    modifiedAt: '2024-01-01T00:00:00Z',
    attrs: { [`${V}owner`]: [{ type: 'Relationship', object: owner.id }] },
  }
  const resolve = (id: string) => (id === owner.id ? owner : undefined)

  it('follows the Relationship to the linked entity, honouring type hints', () => {
    expect(evaluateQ(parseQ('owner{name}=="Ada"'), car, expand, resolve)).toBe(true)
    expect(evaluateQ(parseQ('owner{Person:name}=="Ada"'), car, expand, resolve)).toBe(true)
    expect(evaluateQ(parseQ('owner{Robot:name}=="Ada"'), car, expand, resolve)).toBe(false)
    expect(evaluateQ(parseQ('owner{name}=="Bob"'), car, expand, resolve)).toBe(false)
  })

  it('never matches without the linked entities', () => {
    expect(evaluateQ(parseQ('owner{name}=="Ada"'), car, expand)).toBe(false)
  })
})
