#!/usr/bin/env node
// Entry point for the `civitas` command: runs the compiled CLI (npm run build makes dist/).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('civitas: dist/ is missing; run `npm run build` first\n')
  process.exit(1)
}
await import(cli)
