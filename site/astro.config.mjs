// The report site: static HTML only. Pages are written as files (run/<id>.html) with relative links
// and inlined styles, so the built folder reads the same from a web server, S3, or file://.
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
  outDir: process.env.DISCOTRACE_SITE_OUT || './dist',
  // Pages render a few at a time so reading traces and writing HTML overlap with rendering.
  build: { format: 'file', concurrency: 8 },
  trailingSlash: 'never',
  compressHTML: true,
  devToolbar: { enabled: false },
  server: { host: '127.0.0.1' },
  vite: { logLevel: 'warn' },
});
