/**
 * Runs `civitas` as a real child process (the built CLI), for tests that kill it or drive it like
 * an operator would. Ports are free ports on 127.0.0.1; logs are kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../bin/civitas.js', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  httpUrl: string
  output(): string
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>
  /** SIGTERM and wait for the exit code. */
  terminate(): Promise<number | null>
}

export function serverEnv(
  dataDir: string,
  httpPort: number,
  mqttPort: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CIVITAS_DATA_DIR: dataDir,
    CIVITAS_HTTP_PORT: String(httpPort),
    CIVITAS_HTTP_HOST: '127.0.0.1',
    CIVITAS_MQTT_PORT: String(mqttPort),
    CIVITAS_MQTT_HOST: '127.0.0.1',
    CIVITAS_LOG_LEVEL: 'warn',
    ...extra,
  }
}

export async function startServerProcess(
  command: 'start' | 'demo',
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, command], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const httpUrl = `http://127.0.0.1:${env.CIVITAS_HTTP_PORT ?? ''}`
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`civitas ${command} exited with ${child.exitCode}:\n${log}`)
    try {
      const r = await fetch(`${httpUrl}/healthz`)
      if (r.ok) break
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`civitas ${command} did not become healthy in ${timeoutMs} ms:\n${log}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    child,
    httpUrl,
    output: () => log,
    async kill() {
      child.kill('SIGKILL')
      await exited
    },
    async terminate() {
      child.kill('SIGTERM')
      return exited
    },
  }
}

export function operatorToken(dataDir: string): string {
  return readFileSync(join(dataDir, 'operator-token'), 'utf8').trim()
}
