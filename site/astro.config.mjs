// The report site: static HTML only. Pages are written as files (run/<id>.html) with relative links
// and one linked stylesheet, so the built folder reads the same from a web server, S3, or file://.
// Build it with `npm run site` (site/build.ts): that path checks the store and the output folder
// and swaps the result in whole; a bare `astro build` refuses to run (src/lib/data.ts).
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
  // Pages render a few at a time so reading traces and writing HTML overlap with rendering.
  build: { format: 'file', concurrency: 8 },
  trailingSlash: 'never',
  compressHTML: true,
  devToolbar: { enabled: false },
  server: { host: '127.0.0.1' },
  vite: { logLevel: 'warn' },
});
