import { main } from './main.ts';

// Entry point for `npm run discotrace -- probe …` and the bin shim.
process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  stdin: process.stdin,
  stdoutIsTty: Boolean(process.stdout.isTTY),
});
