/**
 * Names for the fictional demo city: its districts (with land use, which drives where devices go)
 * and a pool of street names. Any resemblance to real places is coincidental.
 *
 * @example
 *   OUTER_DISTRICTS[0]?.name // 'Borgo San Rocco'
 */
export type LandUse = 'centre' | 'residential' | 'mixed' | 'commercial' | 'industrial' | 'village'

export interface DistrictTemplate {
  name: string
  landUse: LandUse
}

export const CITY_NAME = 'Civitas Nova'
export const VILLAGE_NAME = 'Valmora'

export const CENTRE_DISTRICT: DistrictTemplate = { name: 'Centro Storico', landUse: 'centre' }

/** The ring of districts around the centre, counter-clockwise from the east. */
export const OUTER_DISTRICTS: readonly DistrictTemplate[] = [
  { name: 'Borgo San Rocco', landUse: 'residential' },
  { name: 'Colle Verde', landUse: 'residential' },
  { name: 'Nuova Stazione', landUse: 'mixed' },
  { name: 'Santa Chiara', landUse: 'residential' },
  { name: 'Quartiere Fiera', landUse: 'commercial' },
  { name: 'Zona Artigianale Sud', landUse: 'industrial' },
  { name: 'Lungofiume', landUse: 'residential' },
]

/** People per km², before scaling the city to its target population. */
export const DENSITY: Readonly<Record<LandUse, number>> = {
  centre: 9000,
  residential: 5500,
  mixed: 4200,
  commercial: 1600,
  industrial: 250,
  village: 1000,
}

export const PRIMARY_ROADS = [
  'Corso della Libertà',
  'Viale Europa',
  'Via dei Mercanti',
  'Corso Trento',
  'Via Nazionale',
] as const

export const RING_ROAD = 'Viale Circonvallazione'
export const VILLAGE_ROAD = 'Strada Provinciale 47 per Valmora'
export const TRACKS = ['Strada forestale del Monte Sole', 'Sentiero del Castagneto'] as const

export const STREET_NAMES: readonly string[] = [
  'Via Roma',
  'Via Garibaldi',
  'Via dei Tigli',
  'Via delle Rose',
  'Via San Francesco',
  'Via del Pozzo',
  'Vicolo dei Fabbri',
  'Via dei Tessitori',
  'Via Verdi',
  'Via Manzoni',
  'Via Dante',
  'Via Petrarca',
  'Via dei Castani',
  'Via delle Vigne',
  'Via del Mulino',
  'Via della Chiesa',
  'Via Santa Maria',
  'Via dei Pini',
  'Via degli Orti',
  'Via del Sole',
  'Via della Pace',
  'Via Cavour',
  'Via Mazzini',
  'Via dei Mille',
  'Via delle Acacie',
  'Via del Fiume',
  'Via dei Ciliegi',
  'Via della Fontana',
  'Via del Lavoro',
  'Via dell’Industria',
  'Via degli Artigiani',
  'Via della Fiera',
  'Via dei Mercati',
  'Via Leonardo da Vinci',
  'Via Galileo Galilei',
  'Via Marconi',
  'Via Volta',
  'Via Fermi',
  'Via delle Scuole',
  'Via dello Sport',
  'Via dei Gelsi',
  'Via delle Betulle',
  'Via Monte Bianco',
  'Via Monte Rosa',
  'Via delle Dolomiti',
  'Via del Castello',
  'Via della Torre',
  'Via del Borgo',
  'Via dei Vasai',
  'Via degli Alpini',
  'Via della Stazione',
  'Via dei Giardini',
  'Via del Parco',
  'Via delle Primule',
  'Via delle Viole',
  'Via dei Larici',
  'Via del Bosco',
  'Via della Rocca',
  'Via dei Campi',
  'Via Principale',
  'Via del Lago',
  'Via dei Pescatori',
  'Via dei Carpentieri',
  'Via Santa Lucia',
  'Via San Giorgio',
  'Via San Michele',
  'Via Sant’Anna',
  'Via del Ponte',
  'Via dell’Orologio',
  'Via delle Mura',
]
