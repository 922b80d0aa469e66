/**
 * The `lang` URL parameter (§4.15): language ranges with optional q-weights, and the choice of one
 * string from a LanguageProperty's languageMap.
 *
 * @example
 *   const pref = parseLang('fr-CH,fr;q=0.9,*;q=0.5')
 *   pickLanguage({ en: 'Town Hall', fr: 'Hôtel de ville' }, pref) // { tag: 'fr', value: 'Hôtel de ville' }
 */
import { AppError } from '../../core/errors.js'

export interface LanguageRange {
  /** Lower-cased language range, or `*`. */
  range: string
  q: number
}

/** Ranges in preference order (highest q first, then as written); q=0 ranges are dropped. */
export type LanguagePreference = readonly LanguageRange[]

const RANGE = /^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/
const Q = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/

export function parseLang(text: string): LanguagePreference {
  const ranges: (LanguageRange & { index: number })[] = []
  text.split(',').forEach((part, index) => {
    const [range = '', ...params] = part.split(';').map((s) => s.trim())
    if (!RANGE.test(range))
      throw new AppError('BadRequestData', `lang: invalid language range '${range}'`)
    let q = 1
    for (const p of params) {
      if (!Q.test(p))
        throw new AppError('BadRequestData', `lang: invalid weight '${p}' (expected q=0..1)`)
      q = Number(p.slice(2))
    }
    if (q > 0) ranges.push({ range: range.toLowerCase(), q, index })
  })
  if (ranges.length === 0) throw new AppError('BadRequestData', 'lang: no acceptable language')
  return ranges.sort((a, b) => b.q - a.q || a.index - b.index).map(({ range, q }) => ({ range, q }))
}

export interface PickedLanguage {
  /** The languageMap key chosen (`@none` for text without a language). */
  tag: string
  value: string | string[]
}

/**
 * The best entry for the preference: exact tag, then a longer tag under the range (`fr` → `fr-CH`),
 * then the range truncated (`fr-CH` → `fr`); `*` takes the first entry. Without any match the
 * `@none` entry, else the first entry.
 */
export function pickLanguage(
  map: Record<string, string | string[]>,
  pref: LanguagePreference,
): PickedLanguage | undefined {
  const keys = Object.keys(map)
  const found = (key: string | undefined): PickedLanguage | undefined =>
    key === undefined ? undefined : { tag: key, value: map[key]! }
  const tagged = keys.filter((k) => k !== '@none')
  for (const { range } of pref) {
    if (range === '*') return found(tagged[0] ?? keys[0])
    const exact = tagged.find((k) => k.toLowerCase() === range)
    const narrower = tagged.find((k) => k.toLowerCase().startsWith(`${range}-`))
    const broader = tagged.find((k) => range.startsWith(`${k.toLowerCase()}-`))
    const match = exact ?? narrower ?? broader
    if (match !== undefined) return found(match)
  }
  return found(keys.includes('@none') ? '@none' : keys[0])
}
