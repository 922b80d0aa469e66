/**
 * The ETSI suite's temporal samples that several temporal conformance files create: the
 * vehicle-temporal-representation (2020-08 and 2020-09), bus and five-instance vehicle histories.
 */

export interface Instance {
  type: 'Property'
  value: number
  observedAt: string
  datasetId?: string
}

/** A temporal Property instance (with a datasetId when given). */
export const instance = (value: number, observedAt: string, datasetId?: string): Instance => ({
  type: 'Property',
  value,
  observedAt,
  ...(datasetId !== undefined && { datasetId }),
})
const p = instance

/** The suite's 2020-08 vehicle: three speed and three fuelLevel instances. */
export const AUG_VEHICLE = {
  type: 'Vehicle',
  speed: [
    p(120, '2020-08-01T12:03:00Z'),
    p(80, '2020-08-01T12:05:00Z'),
    p(100, '2020-08-01T12:07:00Z'),
  ],
  fuelLevel: [
    p(67, '2020-08-01T12:03:00Z'),
    p(53, '2020-08-01T13:05:00Z'),
    p(40, '2020-08-01T14:07:00Z'),
  ],
}

/** The suite's 2020-09 vehicle. */
export const SEP_VEHICLE = {
  type: 'Vehicle',
  speed: [
    p(120, '2020-09-01T12:03:00Z'),
    p(80, '2020-09-01T12:05:00Z'),
    p(100, '2020-09-01T12:07:00Z'),
  ],
  fuelLevel: [
    p(67, '2020-09-01T12:03:00Z'),
    p(53, '2020-09-01T13:05:00Z'),
    p(40, '2020-09-01T14:07:00Z'),
  ],
}

/** The suite's 2020-08 bus. */
export const AUG_BUS = {
  type: 'Bus',
  speed: [
    p(45, '2020-08-01T12:03:00Z'),
    p(25, '2020-08-01T12:05:00Z'),
    p(67, '2020-08-01T12:07:00Z'),
  ],
  fuelLevel: [
    p(210, '2020-08-01T12:03:00Z'),
    p(145, '2020-08-01T13:05:00Z'),
    p(124, '2020-08-01T14:07:00Z'),
  ],
}

/** The suite's vehicle with five instances per attribute. */
export const MULTI_VEHICLE = {
  type: 'Vehicle',
  speed: [
    p(85, '2020-08-01T12:25:00Z'),
    p(105, '2020-08-01T12:27:00Z'),
    p(120, '2020-08-01T12:29:00Z'),
    p(125, '2020-08-01T12:31:00Z'),
    p(130, '2020-08-01T12:35:00Z'),
  ],
  fuelLevel: [
    p(35, '2020-08-01T20:05:00Z'),
    p(31, '2020-08-01T20:07:00Z'),
    p(28, '2020-08-01T21:03:00Z'),
    p(24, '2020-08-01T21:05:00Z'),
    p(19, '2020-08-01T22:07:00Z'),
  ],
}
