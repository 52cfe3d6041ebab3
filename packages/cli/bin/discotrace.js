#!/usr/bin/env node
// Checks the runtime before loading TypeScript sources (Node 24 strips types natively).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`discotrace needs Node.js 24 or newer (this is ${process.version}); run it through npm (npm run discotrace -- probe <address>) so the project's Node 24 is used.\n`);
  process.exit(3);
}
await import('../src/cli.ts');
