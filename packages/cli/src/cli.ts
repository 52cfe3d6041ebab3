import { main } from './main.ts';

// `discotrace … | head`: the reader went away; stop quietly instead of dying with EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Entry point for `npm run discotrace -- probe …` and the bin shim.
process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  stdin: process.stdin,
  stdoutIsTty: Boolean(process.stdout.isTTY),
});
