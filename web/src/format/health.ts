/**
 * Device health as a badge: a word (never colour alone), a tone for the stylesheet, and a
 * sentence for the tooltip.
 *
 * @example
 *   healthBadge('stale') // { text: 'Stale', tone: 'warn', description: '…' }
 */

export type Tone = 'ok' | 'warn' | 'bad' | 'muted'

export interface Badge {
  text: string
  tone: Tone
  description: string
}

const BADGES: Readonly<Record<string, Badge>> = {
  ok: { text: 'OK', tone: 'ok', description: 'Reporting as expected.' },
  stale: { text: 'Stale', tone: 'warn', description: 'Late: no message for longer than usual.' },
  silent: { text: 'Silent', tone: 'bad', description: 'No message for a long time: check it.' },
  never: {
    text: 'Never seen',
    tone: 'muted',
    description: 'Provisioned, but it has not sent a message yet.',
  },
}

export function healthBadge(health: string): Badge {
  return BADGES[health] ?? { text: health || 'Unknown', tone: 'muted', description: 'Unknown.' }
}
