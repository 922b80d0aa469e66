/**
 * Tests one entity against a GeoFilter: any instance of the target GeoProperty may satisfy the
 * relation; an entity without that GeoProperty never matches.
 */
import booleanContains from '@turf/boolean-contains'
import booleanDisjoint from '@turf/boolean-disjoint'
import booleanEqual from '@turf/boolean-equal'
import booleanIntersects from '@turf/boolean-intersects'
import booleanOverlap from '@turf/boolean-overlap'
import booleanWithin from '@turf/boolean-within'
import type { Entity, GeoJsonGeometry } from '../../core/ngsi.js'
import type { GeoFilter } from '../../store/store.js'
import { distanceToGeometry } from './geo-distance.js'
import { readGeometry } from './geo-geometry.js'

/**
 * @example
 *   matchesGeo(parseGeoQuery({ georel: 'within', geometry: 'Polygon', coordinates }, expand)!, entity)
 */
export function matchesGeo(filter: GeoFilter, entity: Entity): boolean {
  const instances = entity.attrs[filter.geoproperty] ?? []
  return instances.some((instance) => {
    if (instance.type !== 'GeoProperty') return false
    const geometry = readGeometry(instance.value)
    return geometry !== undefined && relates(filter, geometry)
  })
}

/** The relation reads "entity geometry <georel> query geometry" (within: entity inside query). */
function relates(filter: GeoFilter, entity: GeoJsonGeometry): boolean {
  const query = filter.geometry
  try {
    switch (filter.georel) {
      case 'near': {
        // §4.10: the distance between the two geometries, measured from the nearer one's points.
        const metres =
          query.type === 'Point'
            ? distanceToGeometry(query.coordinates, entity)
            : Math.min(...positionsOf(entity).map((p) => distanceToGeometry(p, query)))
        const { maxDistance = Infinity, minDistance = 0 } = filter
        return metres <= maxDistance && metres >= minDistance
      }
      case 'within':
        return booleanWithin(entity, query)
      case 'contains':
        return booleanContains(entity, query)
      case 'intersects':
        return booleanIntersects(entity, query)
      case 'disjoint':
        return booleanDisjoint(entity, query)
      case 'overlaps':
        return booleanOverlap(entity, query)
      case 'equals':
        return booleanEqual(entity, query)
    }
  } catch {
    // turf throws for pairs it does not relate (a Point containing a Polygon, a Point overlapping
    // anything): such pairs cannot satisfy the relation.
    return false
  }
}

/** Every position of a geometry (the vertices of lines and rings). */
function positionsOf(g: GeoJsonGeometry): number[][] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates]
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat()
    case 'MultiPolygon':
      return g.coordinates.flat(2)
  }
}
