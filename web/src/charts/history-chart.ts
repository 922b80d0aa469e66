/**
 * A uPlot line chart of one attribute's history, sized to its container and resized with it.
 *
 * @example
 *   const chart = createHistoryChart(el)
 *   chart.show(history.points, 'no2', 'µg/m³')
 *   chart.append(Date.now(), 42) // a live value
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { formatNumber } from '../format/value.js'
import { toColumns } from './history-summary.js'

export interface HistoryChart {
  show(points: ReadonlyArray<readonly [number, number]>, label: string, unit: string): void
  /** Adds a live reading at the end (ignored if not newer than the last point). */
  append(epochMs: number, value: number): void
  clear(): void
  destroy(): void
}

const HEIGHT = 260
const AXIS = { stroke: '#3e4c59', grid: { stroke: '#e4e7eb', width: 1 }, ticks: { show: false } }

function options(width: number, label: string, unit: string): uPlot.Options {
  const yAxis: uPlot.Axis = { ...AXIS, size: 56 }
  if (unit) yAxis.label = unit
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: true } },
    series: [
      {},
      {
        label,
        stroke: '#0b5cad',
        width: 2,
        fill: 'rgba(11, 92, 173, 0.08)',
        spanGaps: false,
        value: (_u, v) =>
          v === null ? '—' : unit ? `${formatNumber(v)} ${unit}` : formatNumber(v),
      },
    ],
    axes: [{ ...AXIS }, yAxis],
    cursor: { drag: { x: true, y: false } },
  }
}

export function createHistoryChart(container: HTMLElement): HistoryChart {
  let plot: uPlot | undefined
  let data: [number[], Array<number | null>] = [[], []]
  let frame = 0
  const widthOf = () => Math.max(240, Math.floor(container.clientWidth))
  const resize = new ResizeObserver(() => {
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(() => plot?.setSize({ width: widthOf(), height: HEIGHT }))
  })
  resize.observe(container)

  const clear = () => {
    plot?.destroy()
    plot = undefined
  }

  return {
    show(points, label, unit) {
      clear()
      data = toColumns(points)
      plot = new uPlot(options(widthOf(), label, unit), data, container)
    },
    append(epochMs, value) {
      if (!plot) return
      const [xs, ys] = data
      const x = epochMs / 1000
      const last = xs[xs.length - 1]
      if (last !== undefined && x <= last) return
      xs.push(x)
      ys.push(value)
      plot.setData(data)
    },
    clear,
    destroy() {
      cancelAnimationFrame(frame)
      resize.disconnect()
      clear()
    },
  }
}
