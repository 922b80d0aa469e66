/**
 * Largest-Triangle-Three-Buckets downsampling: keeps the visual shape of a series (peaks, dips)
 * with at most `threshold` points, so a browser never receives more points than pixels.
 *
 * @example
 *   lttb([[0, 1], [1, 5], [2, 2], [3, 3]], 3) // first, the most salient middle point, last
 */
export type Point = readonly [number, number]

export function lttb(points: readonly Point[], threshold: number): Point[] {
  const n = points.length
  if (threshold >= n) return [...points]
  // Fewer than three points cannot keep both ends and a middle: keep the ends.
  if (threshold < 3)
    return [points[0] as Point, points[n - 1] as Point].slice(0, Math.max(threshold, 0))
  const out: Point[] = [points[0] as Point]
  const every = (n - 2) / (threshold - 2)
  let a = 0
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n)
    let avgX = 0
    let avgY = 0
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += (points[j] as Point)[0]
      avgY += (points[j] as Point)[1]
    }
    const len = Math.max(nextEnd - nextStart, 1)
    avgX /= len
    avgY /= len
    const start = Math.floor(i * every) + 1
    const end = Math.floor((i + 1) * every) + 1
    const [ax, ay] = points[a] as Point
    let best = start
    let bestArea = -1
    for (let j = start; j < end; j++) {
      const [x, y] = points[j] as Point
      const area = Math.abs((ax - avgX) * (y - ay) - (ax - x) * (avgY - ay))
      if (area > bestArea) {
        bestArea = area
        best = j
      }
    }
    out.push(points[best] as Point)
    a = best
  }
  out.push(points[n - 1] as Point)
  return out
}
