/// <reference lib="dom" />
/**
 * The dashboard in a real browser (Debian chromium via playwright-core) against `civitas demo`:
 * open the map, see markers, open an entity, see a live value change. Skips with a message when no
 * chromium is installed, unless CIVITAS_REQUIRE_BROWSER=1 (CI) makes that a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/free-port.js'
import { serverEnv, startServerProcess, type ServerProcess } from '../helpers/server-process.js'

const CHROMIUM = '/usr/bin/chromium'
const haveBrowser = existsSync(CHROMIUM)
if (!haveBrowser) {
  if (process.env.CIVITAS_REQUIRE_BROWSER === '1')
    throw new Error(
      `CIVITAS_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install chromium`,
    )
  console.warn(
    `browser tests skipped: ${CHROMIUM} not found (apt-get install chromium to run them)`,
  )
}

describe.skipIf(!haveBrowser)('dashboard in chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'civitas-browser-'))
  let server: ServerProcess
  let browser: Browser

  beforeAll(async () => {
    const env = serverEnv(dataDir, await freePort(), await freePort(), {
      CIVITAS_DEMO_DEVICES: '60',
      CIVITAS_DEMO_INTERVAL_MS: '1000',
      // A fault (dead battery, stuck sensor, gap) on the watched device would make the test flaky.
      CIVITAS_DEMO_FAULTS: 'off',
      // No internet here: the map must still show districts, roads and markers.
      CIVITAS_TILE_URL: 'none',
    })
    server = await startServerProcess('demo', env, 60_000)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await server?.terminate()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(
    'shows the city with live markers, opens an entity and sees a live value change',
    { timeout: 90_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(server.httpUrl + '/')
      await page.waitForSelector('[data-testid="map"]')
      // Districts and roads are drawn from the bundled city geometry (no tiles).
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="map"] path').length > 20,
        undefined,
        { timeout: 30_000 },
      )
      await page.waitForFunction(
        () => document.querySelectorAll('path[data-entity-id]').length >= 30,
        undefined,
        { timeout: 30_000 },
      )
      const markers = await page.locator('path[data-entity-id]').count()
      expect(markers).toBeGreaterThanOrEqual(30)

      // Open the busiest noise monitor: its LAeq is a number that changes with every message.
      const devices = (await (
        await fetch(`${server.httpUrl}/api/v1/devices?limit=1000`)
      ).json()) as { items: { profile: string; entityId: string; messages: number }[] }
      const busiest = devices.items
        .filter((d) => d.profile === 'noise')
        .sort((a, b) => b.messages - a.messages)[0]
      expect(busiest).toBeDefined()
      const marker = page.locator(`path[data-entity-id="${busiest?.entityId ?? ''}"]`)
      await marker.dispatchEvent('click')
      await page.locator('a[data-testid="entity-link"]').click()
      await page.waitForURL(/#\/entity\//)
      // The LAeq row: its value and its observation time come from the live stream. A noise level
      // may repeat from one message to the next; the observation time of a new message never does.
      const row = page.locator('tr:has(td[data-attr="LAeq"])')
      await row.waitFor({ timeout: 20_000 })
      // The Observed column is filled at once from the stored entity, not only by the stream.
      await row.locator('td.values__time time').waitFor({ timeout: 20_000 })
      const first = (await row.textContent())?.trim()
      await page.waitForFunction(
        ([sel, before]) =>
          document.querySelector(sel)?.closest('tr')?.textContent?.trim() !== before,
        ['td[data-attr="LAeq"]', first] as const,
        { timeout: 45_000 },
      )
      expect((await row.textContent())?.trim()).not.toBe(first)
      await page.screenshot({ path: join(dataDir, 'entity.png') })
      expect(errors).toEqual([])
    },
  )
})
