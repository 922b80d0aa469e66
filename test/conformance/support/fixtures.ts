/**
 * Sample entities shared by the conformance areas, with the structure of the suite's data files
 * (our own values where the suite's do not matter).
 */

/** Like the suite's building-simple-attributes: name, subCategory, airQualityLevel (unitCode,
 * observedAt), almostFull; `extra` adds or replaces members (an @context, say). */
export function buildingSimple(
  id: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    type: 'Building',
    name: { type: 'Property', value: 'Eiffel Tower' },
    subCategory: { type: 'Property', value: 'tourism' },
    airQualityLevel: {
      type: 'Property',
      value: 4,
      unitCode: 'C62',
      observedAt: '2020-09-09T16:40:00.000Z',
    },
    almostFull: { type: 'Property', value: false },
    ...extra,
  }
}
