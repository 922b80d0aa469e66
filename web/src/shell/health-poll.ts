/**
 * Checks /healthz once a minute while the tab is visible (and when the network comes back), so
 * the header can say "Server unreachable" before a user wonders why nothing updates.
 *
 * @example
 *   const stop = startHealthPoll()
 */
import { checkHealth } from '../api/client.js'
import { serverStatus } from '../state/live-status.js'

export function startHealthPoll(intervalMs = 60_000): () => void {
  const check = async () => {
    if (document.visibilityState !== 'visible') return
    // AbortSignal.timeout is missing on some older phones' browsers; then we just wait.
    const timeout = 'timeout' in AbortSignal ? AbortSignal.timeout(10_000) : undefined
    const ok = await checkHealth(timeout)
    serverStatus.set(ok ? 'ok' : 'down')
  }
  const run = () => void check()
  const offline = () => serverStatus.set('down')
  const timer = setInterval(run, intervalMs)
  document.addEventListener('visibilitychange', run)
  window.addEventListener('online', run)
  window.addEventListener('offline', offline)
  run()
  return () => {
    clearInterval(timer)
    document.removeEventListener('visibilitychange', run)
    window.removeEventListener('online', run)
    window.removeEventListener('offline', offline)
  }
}
