/**
 * `npm run site` builds the report site from the trace store (the same one `discotrace` and the
 * demo write to); `npm run site:serve` serves the built site on localhost.
 *
 *   node packages/cli/src/site.ts build [--out DIR]
 *   node packages/cli/src/site.ts serve [--out DIR] [--port N]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildSite, DEFAULT_OUT_DIR, fileUrl, siteOutDir, type SiteBuildResult } from '@discotrace/site/build';
import { DEFAULT_PORT, serveSite } from '@discotrace/site/serve';
import { EXIT, failure } from './main.ts';
import { userPath, withUserPaths } from './user-paths.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** The lines that tell a person where the built site is (and the page of a run just made). */
export function whereToOpen(result: SiteBuildResult, runId?: string): string[] {
  const elsewhere = result.outDir !== DEFAULT_OUT_DIR ? ` -- --out ${JSON.stringify(result.outDir)}` : '';
  return [
    `Report site: ${result.pages} pages for ${result.runs} run${result.runs === 1 ? '' : 's'} from ${result.store}, built in ${(result.ms / 1000).toFixed(1)} s`,
    ...(runId ? [`  this run: ${fileUrl(path.join(result.outDir, 'run', `${runId}.html`))}`] : []),
    `  all runs: ${fileUrl(result.index)}`,
    `  or serve it: npm run site:serve${elsewhere} (http://127.0.0.1:${DEFAULT_PORT}/)`,
  ];
}

async function main(argv: string[]): Promise<number> {
  const [command = 'build', ...rest] = argv;
  if (command === '--help' || command === '-h' || rest.includes('--help') || rest.includes('-h')) {
    out('npm run site [-- --out DIR]                 build the report site from the trace store');
    out(`npm run site:serve [-- --out DIR] [--port N] serve it on http://127.0.0.1:N/ (default ${DEFAULT_PORT}, or the next free one)`);
    out('The store: .discotrace/traces, DISCOTRACE_STORE_DIR=/path or DISCOTRACE_STORE=s3://bucket/prefix.');
    out('The site: site/dist, DISCOTRACE_SITE_OUT=/path or --out. Relative paths are from the current folder.');
    return EXIT.found;
  }
  let outDir: string | undefined;
  let port: number | undefined;
  // A path setting that names no usable path throws PathError: failure() says it as bad usage (exit 2).
  const env = withUserPaths(process.env);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--out') {
      const value = rest[++i];
      // "--out --port 8080": the folder was left out, it is not a folder named "--port".
      if (!value || value.startsWith('--')) return usage('--out needs a folder');
      // npm runs scripts from the repository root; a relative --out means the user's own folder.
      outDir = userPath(value, process.env, '--out');
    } else if (a === '--port') {
      const value = rest[++i] ?? '';
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) return usage(`--port needs a port number (0-65535), got "${value}"`);
      port = Number(value);
    } else return usage(`unknown option "${a}"`);
  }
  if (command === 'build') {
    out('Building the report site…');
    const result = await buildSite({ env, outDir, quiet: true });
    for (const line of whereToOpen(result)) out(line);
    return EXIT.found;
  }
  if (command === 'serve') {
    const dir = outDir ?? siteOutDir(env);
    if (!existsSync(path.join(dir, 'index.html'))) {
      err(`site: no built site in ${dir}; build it first: npm run site${dir === DEFAULT_OUT_DIR ? '' : ` -- --out ${JSON.stringify(dir)}`}`);
      return EXIT.error;
    }
    const server = await serveSite({ outDir: dir, port });
    out(`Serving ${dir} at ${server.url} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return EXIT.found;
  }
  return usage(`unknown command "${command}"`);
}

function usage(problem: string): number {
  err(`site: ${problem} (usage: npm run site [-- --out DIR] · npm run site:serve [-- --out DIR] [--port N]; the store: DISCOTRACE_STORE_DIR or DISCOTRACE_STORE)`);
  return EXIT.usage;
}

if (import.meta.main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.exitCode = failure(e, { err, env: process.env });
  }
}
