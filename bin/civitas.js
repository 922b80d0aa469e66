#!/usr/bin/env -S node --max-semi-space-size=64
// Entry point for the `civitas` command: runs the compiled CLI (npm run build makes dist/).
// --max-semi-space-size=64 (MB): a server answering thousands of requests a second allocates
// ~100 MB/s of short-lived objects. With V8's default young generation, some server processes
// spent ~20 % of their CPU in the collector and others ~5 %, for the life of the process (retrieve
// by id at 10k entities: 44–110 µs of CPU per request over six starts of one build); with 64 MB
// semi-spaces six of six starts took 47–52 µs. 32 MB was not enough. `npm start` passes it too.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('civitas: dist/ is missing; run `npm run build` first\n')
  process.exit(1)
}
await import(cli)
