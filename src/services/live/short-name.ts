/**
 * Short names for the dashboard's plain JSON: the core context's own compaction for the names the
 * platform writes itself (default vocabulary and core terms). Full NGSI-LD compaction with user
 * contexts lives in the context API.
 */
import { DEFAULT_VOCAB, NGSI_LD } from '../../core/ngsi.js'

export function shortName(iri: string): string {
  if (iri.startsWith(DEFAULT_VOCAB)) return iri.slice(DEFAULT_VOCAB.length)
  if (iri.startsWith(NGSI_LD) && !iri.slice(NGSI_LD.length).includes('/'))
    return iri.slice(NGSI_LD.length)
  return iri
}

export function expandName(name: string): string {
  if (name.includes(':')) return name
  if (name === 'location' || name === 'observationSpace' || name === 'operationSpace')
    return NGSI_LD + name
  return DEFAULT_VOCAB + name
}
