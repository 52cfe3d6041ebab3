import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path settings a person types (flags and these variables), relative to where they typed them. */
const PATH_VARIABLES = ['DISCOTRACE_STORE_DIR', 'DISCOTRACE_SITE_OUT'] as const;

/**
 * Where the person ran the command: `npm run …` starts scripts in the repository root and keeps
 * the caller's directory in INIT_CWD.
 */
export function userDirectory(env: Record<string, string | undefined> = process.env): string {
  return env.INIT_CWD || process.cwd();
}

/**
 * A path the person typed, made absolute against their directory; a file:// URL (as the site's own
 * messages print) is its path. Throws a TypeError for a file URL that names no local path.
 */
export function userPath(value: string, env: Record<string, string | undefined> = process.env): string {
  return path.resolve(userDirectory(env), /^file:/i.test(value) ? fileURLToPath(value) : value);
}

/**
 * The environment with DISCOTRACE_STORE_DIR and DISCOTRACE_SITE_OUT made absolute against the
 * person's directory (the default store, .discotrace/traces, stays the project's own).
 */
export function withUserPaths<E extends Record<string, string | undefined>>(env: E): E {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of PATH_VARIABLES) {
    const value = env[name]?.trim();
    // Set but blank is unset: "   " must not become a folder named by three spaces.
    if (value) out[name] = userPath(value, env);
    else if (value === '') delete out[name];
  }
  return out as E;
}
