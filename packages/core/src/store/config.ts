/**
 * Which store a process uses, chosen by configuration alone (design: local and deployed share
 * everything but the edges). In order:
 *   1. DISCOTRACE_STORE=s3://bucket/prefix or file:///abs/path: an explicit choice always wins;
 *   2. a bucket passed by the caller (the deployed Lambda passes Resource.TraceBucket.name);
 *   3. a local directory: DISCOTRACE_STORE_DIR, else .discotrace/traces under the working directory.
 * For S3: DISCOTRACE_S3_ENDPOINT (s3rver, MinIO), AWS_REGION / AWS_DEFAULT_REGION, and
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when set in `env` (otherwise the
 * SDK's own credential chain, e.g. the Lambda role).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors.ts';
import { LocalDirectoryStore } from './local-directory.ts';
import { S3Store, s3EndpointProblem } from './s3.ts';
import type { S3StoreOptions } from './s3.ts';
import { TraceStore } from './trace-store.ts';

export type StoreEnv = Record<string, string | undefined>;

export interface StoreDefaults {
  /** Base for the default and for relative directories; default process.cwd(). */
  cwd?: string;
  /** A bucket chosen by the deployment (SST's Resource.TraceBucket.name). */
  bucket?: string;
  /** Key prefix inside that bucket. */
  prefix?: string;
  region?: string;
  /** How the user chose DISCOTRACE_STORE's value, for messages (a CLI passes "--store"). */
  setting?: string;
}

export interface ConfiguredStore {
  store: TraceStore;
  /** "directory /abs/path" or "s3://bucket/prefix", for the user. */
  location: string;
}

/** The embedded default, relative to the working directory. */
export const DEFAULT_STORE_DIR = path.join('.discotrace', 'traces');

export function storeFromConfig(env: StoreEnv, defaults: StoreDefaults = {}): ConfiguredStore {
  const cwd = defaults.cwd ?? process.cwd();
  const selected = nonEmpty(env.DISCOTRACE_STORE);
  const bucket = nonEmpty(defaults.bucket);
  let blobs;
  if (selected !== undefined) {
    blobs = fromUrl(selected, env, defaults, cwd);
  } else if (bucket !== undefined) {
    blobs = s3Store(env, defaults, { bucket, prefix: defaults.prefix });
  } else {
    blobs = new LocalDirectoryStore(path.resolve(cwd, nonEmpty(env.DISCOTRACE_STORE_DIR) ?? DEFAULT_STORE_DIR));
  }
  const store = new TraceStore(blobs);
  return { store, location: store.location };
}

function fromUrl(value: string, env: StoreEnv, defaults: StoreDefaults, cwd: string): S3Store | LocalDirectoryStore {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(value);
    if (!match) throw configError(value, 'expected s3://bucket or s3://bucket/prefix', defaults.setting);
    return s3Store(env, defaults, { bucket: match[1] as string, prefix: match[2] ?? '' });
  }
  if (scheme === 'file') {
    let dir: string;
    try {
      dir = fileURLToPath(value);
    } catch {
      throw configError(value, 'expected file:///absolute/path', defaults.setting);
    }
    return new LocalDirectoryStore(path.resolve(cwd, dir));
  }
  throw configError(
    value,
    scheme
      ? `unsupported scheme "${scheme}:" (use s3://bucket/prefix or file:///path)`
      : 'expected s3://bucket/prefix or file:///path (for a plain directory set DISCOTRACE_STORE_DIR)',
    defaults.setting,
  );
}

function s3Store(env: StoreEnv, defaults: StoreDefaults, target: { bucket: string; prefix?: string }): S3Store {
  const endpoint = nonEmpty(env.DISCOTRACE_S3_ENDPOINT);
  // Checked here, naming the variable: the SDK parses it only at the first request (as STORE_IO).
  const endpointProblem = endpoint === undefined ? undefined : s3EndpointProblem(endpoint);
  if (endpointProblem) throw configError(endpoint as string, endpointProblem, 'DISCOTRACE_S3_ENDPOINT');
  const options: S3StoreOptions = {
    ...target,
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? defaults.region,
    endpoint,
  };
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (accessKeyId && secretAccessKey) {
    options.credentials = { accessKeyId, secretAccessKey, sessionToken: nonEmpty(env.AWS_SESSION_TOKEN) };
  }
  return new S3Store(options);
}

function configError(value: string, problem: string, setting = 'DISCOTRACE_STORE'): StoreError {
  const named = setting.startsWith('--') ? `${setting} ${JSON.stringify(value)}` : `${setting}=${JSON.stringify(value)}`;
  return new StoreError('STORE_CONFIG', `${named}: ${problem}`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
