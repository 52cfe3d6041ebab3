import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path settings a person types (flags and these variables), relative to where they typed them. */
const PATH_VARIABLES = ['DISCOTRACE_STORE_DIR', 'DISCOTRACE_SITE_OUT'] as const;

/**
 * Where the person ran the command: `npm run …` starts this project's scripts in the repository
 * root and keeps the caller's directory in INIT_CWD. Only then: inside another project's npm script
 * (`cd reports && discotrace … --store ./traces`), INIT_CWD is that project's root, not the folder.
 */
export function userDirectory(env: Record<string, string | undefined> = process.env): string {
  return env.INIT_CWD && env.npm_package_name === 'discotrace' ? env.INIT_CWD : process.cwd();
}

/** A path setting that names no usable local path; the message says why, without echoing it raw. */
export class PathError extends Error {
  override name = 'PathError';
}

/** Control characters (C0, C1) and invisible or direction-changing marks: a name must show what it is. */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/**
 * A path the person typed, made absolute against their directory. A file URL (as the site's own
 * messages print) is its path, but only an absolute one (file:///… or file://localhost/…) with no
 * query or fragment; a path with a control or invisible character is refused, after decoding.
 * `setting` ("--out", "DISCOTRACE_SITE_OUT") leads the PathError's message.
 */
export function userPath(value: string, env: Record<string, string | undefined> = process.env, setting?: string): string {
  const refuse = (why: string) => new PathError(setting ? `${setting}: ${why}` : why);
  let typed = value;
  if (/^file:/i.test(value)) {
    if (!/^file:\/\/(localhost)?\//i.test(value)) throw refuse('a file URL must be absolute: file:///path or file://localhost/path');
    const url = new URL(value);
    if (url.search || url.hash) throw refuse('a file URL with a query (?) or a fragment (#) names no folder');
    try {
      typed = fileURLToPath(url);
    } catch {
      throw refuse('the file URL names no local path');
    }
  }
  const hidden = HIDDEN.exec(typed);
  if (hidden) throw refuse(`a path with a control or invisible character (U+${hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) is refused`);
  return path.resolve(userDirectory(env), typed);
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
    if (value) out[name] = userPath(value, env, name);
    else if (value === '') delete out[name];
  }
  return out as E;
}
