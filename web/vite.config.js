// Builds the single-page map front end into dist/, which the Rust service serves at `/`.
// Every asset is local: no CDN, fonts or glyphs, so the page works on an offline network.
import { gzipSync, constants } from 'node:zlib';
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';

// The service serves `file.gz` for `file` when the client accepts gzip (tower-http
// precompressed_gzip), which cuts the ~1.6 MB of MapLibre to ~450 KB on a slow district link.
function precompress() {
  let outDir;
  return {
    name: 'soilreg-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir) => {
        for (const name of readdirSync(dir).sort()) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (/\.(m?js|css|html|svg|json)$/.test(name)) {
            const gz = gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION });
            writeFileSync(`${path}.gz`, gz);
          }
        }
      };
      walk(outDir);
    },
  };
}

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1600,
  },
  plugins: [precompress()],
  server: {
    // `npm run dev` talks to a running service (default the demo on :8090).
    proxy: Object.fromEntries(
      ['/api', '/ogc', '/tiles', '/healthz'].map((p) => [p, process.env.SOILREG_URL || 'http://127.0.0.1:8090']),
    ),
  },
});
