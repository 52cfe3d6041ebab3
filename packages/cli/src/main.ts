import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DiscotraceError, parseAddress, resolveOptions, storeFromConfig, type Credentials, type ProbeOptions } from '@discotrace/core';
import { LocalDirectoryStore } from '@discotrace/core/store/local-directory';
import { isKernelFilesystem } from '@discotrace/core/store/kernel-paths';
import { runLocal, type LocalRunResult } from './pipeline.ts';
import { LiveTree, renderVerdict, paint, safeJson, type Style } from './render/tree.ts';
import { readSecret } from './secret.ts';
import { PathError, userPath, withUserPaths } from './user-paths.ts';

/** Exit codes, documented in --help. */
export const EXIT = { found: 0, notFound: 1, usage: 2, error: 3 } as const;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdoutIsTty: boolean;
}

class UsageError extends Error {}

const HELP = `discotrace — see every step Outlook takes to find a mailbox through Autodiscover

Usage:
  discotrace probe <address> [options]

Options:
  --user <name>            user name for Basic or NTLM (default: the address; UPN or DOMAIN\\user)
  --password-env <VAR>     read the password from environment variable VAR
                           (DISCOTRACE_PASSWORD is read when set)
  --password-stdin         read the password from standard input (first line)
  --token-env <VAR>        read an OAuth bearer token for Exchange Online from VAR
                           (DISCOTRACE_TOKEN is read when set)
  --no-auth                do not sign in (anonymous steps only)
  --json                   print the run report and phase traces as JSON
  --dns <ip[:port]>        DNS server to use (repeatable; default: the system's resolvers)
  --source <ip>            local source address for every connection
  --ca-file <file.pem>     extra trusted CA certificate(s) (repeatable)
  --connect-to <h:p:a:p>   connect to address a:p when the URL says h:p (like curl; repeatable)
  --timeout <ms>           timeout of each DNS, TCP, TLS and HTTP operation
                           (default: DNS 5 s, TCP 10 s, TLS 10 s, HTTP 30 s)
  --store <dir | s3://bucket/prefix>   where traces are written (default .discotrace/traces)
  --allow-host <host>      let credentials go to this host outside your domain (repeatable);
                           without it they go only to your domain and Microsoft 365 hosts
  --schema <outlook|mobilesync>   the provider to ask for: Outlook (default) or ActiveSync,
                           like Remote Connectivity Analyzer's two Autodiscover tests
  --no-v2                  skip the Autodiscover v2 cross-check at outlook.office365.com
  -h, --help               this help

Without --password-env/--password-stdin/--no-auth, an interactive terminal prompts for the password.
Passwords are never accepted as command-line arguments and never written to traces.

Environment: DISCOTRACE_STORE_DIR=<dir> or DISCOTRACE_STORE=s3://bucket/prefix (the store when
--store is not given; S3 also reads DISCOTRACE_S3_ENDPOINT and the usual AWS_* variables),
DISCOTRACE_PASSWORD, DISCOTRACE_TOKEN, NO_COLOR, DISCOTRACE_DEBUG (stack traces of failures).

Exit codes: 0 settings found, 1 Autodiscover fails (or the run is incomplete), 2 bad usage,
3 the tool could not run (e.g. the trace store is not writable).`;

interface Parsed {
  address: string;
  user?: string;
  passwordEnv?: string;
  passwordStdin: boolean;
  tokenEnv?: string;
  noAuth: boolean;
  json: boolean;
  options: ProbeOptions;
  store?: string;
}

export function parseCommandLine(argv: string[], env: Io['env'] = process.env): Parsed | 'help' {
  const hasPassword = argv.findIndex((a) => a === '--password' || a.startsWith('--password='));
  if (hasPassword >= 0) throw new UsageError('--password is not accepted: a password on the command line leaks into shell history and process lists; use --password-env, --password-stdin or the prompt');
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        user: { type: 'string' },
        'password-env': { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        'token-env': { type: 'string' },
        'no-auth': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        dns: { type: 'string', multiple: true },
        source: { type: 'string' },
        'ca-file': { type: 'string', multiple: true },
        'connect-to': { type: 'string', multiple: true },
        timeout: { type: 'string' },
        store: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        schema: { type: 'string' },
        'no-v2': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(argumentProblem((err as Error).message));
  }
  if (values.help) return 'help';
  const [command, address, ...rest] = positionals;
  if (!command) throw new UsageError('missing command: discotrace probe <address> (see --help)');
  if (command !== 'probe') throw new UsageError(`unknown command "${command}" (try: discotrace probe <address>)`);
  if (!address) throw new UsageError('missing address: discotrace probe <address>');
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const parsed = parseAddress(address);
  if (!parsed.ok) throw new UsageError(`"${address}" is not a usable e-mail address: ${parsed.reason}`);
  const connectTo: Record<string, string> = {};
  for (const spec of (values['connect-to'] as string[] | undefined) ?? []) {
    const m = /^([^:]+):(\d+):(.+):(\d+)$/.exec(spec);
    if (!m) throw new UsageError(`--connect-to "${spec}" must look like host:port:address:port`);
    connectTo[`${m[1]}:${m[2]}`] = `${m[3]}:${m[4]}`;
  }
  const trustedCaCertificates: string[] = [];
  for (const file of (values['ca-file'] as string[] | undefined) ?? []) trustedCaCertificates.push(readCaFile(file, env));
  let timeouts;
  if (values.timeout != null) {
    const n = Number(values.timeout);
    if (!Number.isInteger(n) || n < 1 || n > 600_000) throw new UsageError('--timeout must be a whole number of milliseconds from 1 to 600000');
    timeouts = { dnsMs: n, connectMs: n, tlsMs: n, httpMs: n };
  }
  if (values.user === '') throw new UsageError('--user must not be empty');
  if (values.store === '') throw new UsageError('--store must not be empty');
  let options: ProbeOptions;
  try {
    options = resolveOptions({
      credentialHosts: (values['allow-host'] as string[] | undefined) ?? [],
      ...(values.schema ? { schema: values.schema as 'outlook' } : {}),
      ...(values['no-v2'] ? { v2Host: '' } : {}),
      dnsServers: (values.dns as string[] | undefined) ?? [],
      ...(values.source ? { sourceAddress: values.source as string } : {}),
      trustedCaCertificates,
      connectTo,
      ...(timeouts ? { timeouts } : {}),
    });
  } catch (err) {
    // Name the flag the user typed, not the option it feeds.
    const flags: Record<string, string> = { schema: '--schema', v2Host: '--no-v2', dnsServers: '--dns', sourceAddress: '--source', trustedCaCertificates: '--ca-file', connectTo: '--connect-to', credentialHosts: '--allow-host' };
    throw new UsageError((err as Error).message.replace(/^(\w+)/, (w) => flags[w] ?? w));
  }
  if (values['no-auth'] && (values['password-env'] || values['password-stdin'] || values['token-env'])) throw new UsageError('--no-auth cannot be combined with a password or token option');
  return {
    address: parsed.address,
    ...(values.user ? { user: values.user as string } : {}),
    ...(values['password-env'] ? { passwordEnv: values['password-env'] as string } : {}),
    passwordStdin: values['password-stdin'] as boolean,
    ...(values['token-env'] ? { tokenEnv: values['token-env'] as string } : {}),
    noAuth: values['no-auth'] as boolean,
    json: values.json as boolean,
    options,
    ...(values.store ? { store: values.store as string } : {}),
  };
}

/** node:util parseArgs's message, said the way the rest of the CLI speaks. */
function argumentProblem(message: string): string {
  const first = message.split('\n')[0]!;
  const unknown = /^Unknown option '([^']+)'/.exec(first);
  if (unknown) return `unknown option ${unknown[1]} (see --help)`;
  const missing = /^Option '(-[^' ]+)[^']*' argument (missing|is ambiguous)/.exec(first);
  if (missing) return `${missing[1]} needs a value${missing[2] === 'is ambiguous' ? ` (a value that starts with "-" is written ${missing[1]}=-…)` : ''}`;
  const flag = /^Option '(-[^' ]+)[^']*' does not take an argument/.exec(first);
  if (flag) return `${flag[1]} takes no value`;
  return first;
}

/** A CA bundle is a few KiB of PEM; a device, a FIFO or a huge file is a mistake, said at once. */
const CA_FILE_LIMIT = 1024 * 1024;

function readCaFile(file: string, env: Io['env']): string {
  let fd: number | undefined;
  try {
    // Non-blocking: a FIFO must not hang the command before it is recognised as one.
    fd = openSync(userPath(file, env), constants.O_RDONLY | constants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (!info.isFile()) throw new UsageError(`--ca-file ${file}: not a regular file`);
    if (info.size > CA_FILE_LIMIT) throw new UsageError(`--ca-file ${file}: ${(info.size / 1024 / 1024).toFixed(1)} MiB is not a CA certificate file (at most 1 MiB of PEM)`);
    return readFileSync(fd, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--ca-file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a folder, not a file' : (err as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function gatherCredentials(p: Parsed, io: Io): Promise<Credentials | undefined> {
  if (p.noAuth) return undefined;
  const fromEnv = (name: string, flag: string) => {
    const v = io.env[name];
    if (v == null || v === '') throw new UsageError(`${flag} ${name}: the environment variable is not set`);
    return v;
  };
  let password: string | undefined;
  if (p.passwordEnv) password = fromEnv(p.passwordEnv, '--password-env');
  else if (p.passwordStdin) {
    // On a terminal "standard input" is the keyboard: read it like the prompt, with echo off.
    password = await readSecret(io.stdin, io.stdin.isTTY ? { prompt: true, label: `Password for ${p.user ?? p.address}: ` } : { prompt: false });
    // Asked for and not there (an unset variable piped in): a mistake, not a choice to go anonymous.
    if (!password) throw new UsageError('--password-stdin: standard input held no password (its first line is empty); use --no-auth to probe without credentials');
  }
  else if (io.env.DISCOTRACE_PASSWORD) password = io.env.DISCOTRACE_PASSWORD;
  else if (io.stdin.isTTY) password = await readSecret(io.stdin, { prompt: true, label: `Password for ${p.user ?? p.address} (empty to skip): ` });
  const bearerToken = p.tokenEnv ? fromEnv(p.tokenEnv, '--token-env') : io.env.DISCOTRACE_TOKEN || undefined;
  if (!password && !bearerToken) {
    if (!io.stdin.isTTY && !p.passwordStdin) io.err('discotrace: no terminal to ask for a password and none given (--password-env, --password-stdin, --token-env): probing without credentials');
    return undefined;
  }
  return { ...(p.user ? { username: p.user } : {}), ...(password ? { password } : {}), ...(bearerToken ? { bearerToken } : {}) };
}

/** The probe command end to end; returns the exit code. Never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  let parsed: Parsed | 'help';
  try {
    parsed = parseCommandLine(argv, io.env);
    if (parsed === 'help') {
      io.out(HELP);
      return EXIT.found;
    }
  } catch (err) {
    io.err(`discotrace: ${(err as Error).message}`);
    return EXIT.usage;
  }
  const style: Style = { color: io.stdoutIsTty && !io.env.NO_COLOR && !parsed.json };
  try {
    // The store first: a mistyped --store is bad usage, told before any password prompt.
    const { store, location } = configuredStore(parsed.store, withUserPaths(io.env));
    await prepareStore(store);
    const credentials = await gatherCredentials(parsed, io);
    const result = await probeAndPrint({ address: parsed.address, credentials, options: parsed.options, store, json: parsed.json, style, io, location });
    return result.report.verdict.status === 'found' ? EXIT.found : EXIT.notFound;
  } catch (err) {
    return failure(err, io);
  }
}

/** The store --store names (else the environment's); a malformed --store is a usage error. */
function configuredStore(option: string | undefined, env: Io['env']): ReturnType<typeof storeFromConfig> {
  if (!option) return storeFromConfig(env);
  // A URL-like value goes through the store's own scheme check (s3://…; anything else is refused).
  const choice = /^[a-z][a-z0-9+.-]*:\/\//i.test(option) ? { DISCOTRACE_STORE: option } : { DISCOTRACE_STORE: '', DISCOTRACE_STORE_DIR: userPath(option, env) };
  try {
    return storeFromConfig({ ...env, ...choice }, { setting: '--store' });
  } catch (err) {
    if ((err as { code?: string }).code === 'STORE_CONFIG') throw new UsageError((err as Error).message);
    throw err;
  }
}

/** A store that cannot take the trace is refused before the probe runs (and signs in anywhere). */
export async function prepareStore(store: { blobs: unknown }): Promise<void> {
  refuseSpecialFilesystems(store);
  if (store.blobs instanceof LocalDirectoryStore) await store.blobs.checkWritable();
}

/** /proc, /sys and /dev are not storage (see isKernelFilesystem). */
export function refuseSpecialFilesystems(store: { blobs: unknown }): void {
  const root = (store.blobs as { root?: string }).root;
  if (root && isKernelFilesystem(root)) throw new UsageError(`store ${root}: not a place for traces (a kernel filesystem); choose a directory`);
}

export function failure(err: unknown, io: Pick<Io, 'err' | 'env'>): number {
  // A path setting that names no usable path is bad usage too.
  if (err instanceof UsageError || err instanceof PathError) {
    io.err(`discotrace: ${err.message}`);
    return EXIT.usage;
  }
  const e = err as Error & { code?: string };
  const code = e instanceof DiscotraceError || e?.name === 'StoreError' ? ` [${e.code}]` : '';
  io.err(`discotrace: ${e?.message ?? String(err)}${code}`);
  if (io.env.DISCOTRACE_DEBUG) io.err(String(e?.stack ?? ''));
  return EXIT.error;
}

export async function probeAndPrint(args: {
  address: string;
  credentials?: Credentials;
  options: ProbeOptions;
  store: Parameters<typeof runLocal>[0]['store'];
  json: boolean;
  style: Style;
  io: Pick<Io, 'out'>;
  location: string;
  probeTimeoutSeconds?: number;
}): Promise<LocalRunResult> {
  const { io, style } = args;
  const tree = args.json ? undefined : new LiveTree(io.out, style);
  if (!args.json) {
    const who = args.credentials ? `signing in with ${[args.credentials.password ? 'a password' : '', args.credentials.bearerToken ? 'an OAuth token' : ''].filter(Boolean).join(' and ')}` : 'without credentials';
    io.out(paint(style, '1', `discotrace · Autodiscover for ${args.address} · ${who}`));
  }
  const result = await runLocal({ address: args.address, credentials: args.credentials, options: args.options, store: args.store, observe: tree ? (e) => tree.on(e) : undefined, probeTimeoutSeconds: args.probeTimeoutSeconds });
  if (args.json) {
    io.out(safeJson({ report: result.report, phases: result.phases }));
  } else {
    for (const line of renderVerdict(style, result.report)) io.out(line);
    const cross = (c: { source: string }) => c.source === 'autodiscover-v2' || c.source === 'returned-url';
    const count = (keep: (c: { source: string }) => boolean) => result.phases.reduce((n, p) => n + p.candidates.filter(keep).reduce((m, c) => m + c.steps.length, 0), 0);
    const checks = count(cross);
    // Name only the cross-checks that ran (a failed walk has no returned URLs to check).
    const kinds = [count((c) => c.source === 'autodiscover-v2') ? 'Autodiscover v2' : '', count((c) => c.source === 'returned-url') ? 'returned URLs' : ''].filter(Boolean).join(', ');
    io.out('');
    io.out(`${count((c) => !cross(c))} journey steps in ${result.phases.length} phase${result.phases.length === 1 ? '' : 's'}${checks ? ` (+ ${checks} cross-check step${checks === 1 ? '' : 's'}: ${kinds})` : ''} · run ${result.runId}`);
    io.out(`Trace saved: ${args.location} → ${result.reportKey} (+ ${result.phases.length} phase trace${result.phases.length === 1 ? '' : 's'})`);
  }
  return result;
}
