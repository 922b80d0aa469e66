/**
 * Prints the conformance score from the ledger: passing single-broker ETSI test cases over all
 * single-broker test cases (excluded ones are out of scope and not counted).
 * Run: npm run conformance:report
 */
import { readLedger } from './support/ledger.js'

const ledger = readLedger()
const byArea = new Map<string, { pass: number; fail: number; excluded: number }>()
for (const outcome of ledger.values()) {
  const row = byArea.get(outcome.area) ?? { pass: 0, fail: 0, excluded: 0 }
  row[outcome.status] += 1
  byArea.set(outcome.area, row)
}
const total = { pass: 0, fail: 0, excluded: 0 }
console.log(
  'area'.padEnd(28),
  'pass'.padStart(6),
  'fail'.padStart(6),
  'excl'.padStart(6),
  '  score',
)
for (const [area, row] of [...byArea].sort()) {
  total.pass += row.pass
  total.fail += row.fail
  total.excluded += row.excluded
  const score =
    row.pass + row.fail === 0 ? '-' : `${((100 * row.pass) / (row.pass + row.fail)).toFixed(1)} %`
  console.log(
    area.padEnd(28),
    String(row.pass).padStart(6),
    String(row.fail).padStart(6),
    String(row.excluded).padStart(6),
    ' ',
    score,
  )
}
const score = total.pass + total.fail === 0 ? 0 : (100 * total.pass) / (total.pass + total.fail)
console.log(
  'all'.padEnd(28),
  String(total.pass).padStart(6),
  String(total.fail).padStart(6),
  String(total.excluded).padStart(6),
  ' ',
  `${score.toFixed(1)} %`,
)
if (process.argv.includes('--failures'))
  for (const [id, o] of ledger) if (o.status === 'fail') console.log(`${id} (${o.area}): ${o.why}`)
