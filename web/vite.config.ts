// Vite build of the dashboard: web/ is the root, web/dist the output the server serves at `/`.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const server = 'http://127.0.0.1:8080'

export default defineConfig({
  root,
  base: '/',
  resolve: {
    // Leaflet's package.json points at its UMD build; the ESM build minifies and hoists better.
    alias: [{ find: /^leaflet$/, replacement: 'leaflet/dist/leaflet-src.esm.js' }],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // One budget for the whole app; a chunk over this means something heavy crept in.
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: {
      '/api': server,
      '/ngsi-ld': server,
      '/healthz': server,
    },
  },
})
