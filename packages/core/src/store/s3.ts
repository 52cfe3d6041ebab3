/**
 * A BlobStore in an S3 bucket (AWS in the cloud; s3rver or MinIO through `endpoint`). Keys live
 * under an optional prefix, so one bucket can hold several stores.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { StoreError, isStoreError, tooLarge } from './errors.ts';
import { assertValidKey, assertValidPrefix, compareKeys, isValidKey } from './keys.ts';
import { MAX_DOCUMENT_BYTES, readLimit } from './store.ts';
import type { BlobStore, ReadOptions } from './store.ts';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket ("traces" or "traces/"); none by default. */
  prefix?: string;
  /** Default: the SDK's own resolution (AWS_REGION…), or us-east-1 with a custom endpoint. */
  region?: string;
  /** An S3-compatible endpoint, e.g. http://127.0.0.1:4568 for s3rver. */
  endpoint?: string;
  /** Default: true with an endpoint (s3rver and MinIO have no virtual-host buckets), else false. */
  forcePathStyle?: boolean;
  /** Default: the SDK's credential chain (environment, Lambda role, profile). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Keys per ListObjectsV2 page, 1–1000 (S3's maximum and the default); tests use a small one. */
  pageSize?: number;
  /** Attempts per request including retries (SDK default 3). */
  maxAttempts?: number;
  /** Milliseconds to connect (default 5000) and for a whole request (default 30000). */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

// S3's naming rules for general purpose buckets (3–63 characters, lower case, digits, '.', '-').
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class S3Store implements BlobStore {
  readonly bucket: string;
  /** '' or a prefix ending in '/'. */
  readonly prefix: string;
  readonly location: string;
  readonly endpoint: string | undefined;
  private readonly client: S3Client;
  private readonly pageSize: number;

  constructor(options: S3StoreOptions) {
    const { bucket, endpoint } = options;
    if (typeof bucket !== 'string' || !BUCKET_NAME.test(bucket)) {
      throw new StoreError('STORE_CONFIG', `invalid S3 bucket name ${JSON.stringify(bucket)} (3–63 characters: a-z, 0-9, '.', '-')`);
    }
    const prefix = normalisePrefix(options.prefix ?? '');
    const pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      throw new StoreError('STORE_CONFIG', `S3 pageSize must be an integer from 1 to 1000, got ${pageSize}`);
    }
    const endpointProblem = endpoint === undefined ? undefined : s3EndpointProblem(endpoint);
    if (endpointProblem) {
      throw new StoreError('STORE_CONFIG', `invalid S3 endpoint ${JSON.stringify(endpoint)}: ${endpointProblem}`);
    }
    this.bucket = bucket;
    this.prefix = prefix;
    this.endpoint = endpoint;
    this.pageSize = pageSize;
    this.location = `s3://${bucket}/${prefix}`.replace(/\/$/, '');
    this.client = new S3Client({
      region: options.region ?? (endpoint ? 'us-east-1' : undefined),
      endpoint,
      forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
      // Probes in other regions write to the home-region bucket: follow S3's wrong-region answer.
      followRegionRedirects: endpoint === undefined,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
      // Custom endpoints (s3rver, MinIO) mishandle the SDK's default streaming checksums: an upload
      // is stored with its chunk framing, i.e. corrupt. Checksums only where S3 requires them.
      ...(endpoint
        ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
        : {}),
      requestHandler: {
        connectionTimeout: options.connectTimeoutMs ?? 5000,
        requestTimeout: options.requestTimeoutMs ?? 30000,
        throwOnRequestTimeout: true,
      },
    });
  }

  async put(key: string, body: string): Promise<void> {
    assertValidKey(key);
    const bytes = Buffer.byteLength(body, 'utf8');
    // Never write what get() would refuse to read back.
    if (bytes > MAX_DOCUMENT_BYTES) throw tooLarge(this.location, key, bytes, 'write');
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          Body: body,
          // Explicit, so an empty body is not mistaken for a stream of unknown length.
          ContentLength: bytes,
          ContentType: 'application/json',
        }),
      );
    } catch (error) {
      throw this.error('write', key, error);
    }
  }

  async get(key: string, options: ReadOptions = {}): Promise<string | undefined> {
    assertValidKey(key);
    const limit = readLimit(options);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
      if (!body) return '';
      if (response.ContentLength !== undefined && response.ContentLength > limit) {
        body.destroy?.();
        throw tooLarge(this.location, key, response.ContentLength, 'read', limit, options.purpose);
      }
      // Counted as it arrives too: a response without (or with a wrong) length is capped all the same.
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of body) {
        total += chunk.length;
        // Leaving the loop by throwing destroys the stream (and its socket).
        if (total > limit) throw tooLarge(this.location, key, undefined, 'read', limit, options.purpose);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, total).toString('utf8');
    } catch (error) {
      if (isStoreError(error)) throw error;
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw this.error('read', key, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            MaxKeys: this.pageSize,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) {
          const key = object.Key?.slice(this.prefix.length);
          // Objects that are not valid keys were not written by a store; get() could not read them.
          if (isValidKey(key)) keys.push(key);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.error('list', prefix, error);
    }
    return keys.sort(compareKeys);
  }

  /** Release the client's sockets (tests, short-lived CLIs). */
  close(): void {
    this.client.destroy();
  }

  private error(operation: 'read' | 'write' | 'list', key: string, error: unknown): StoreError {
    const target = `s3://${this.bucket}/${this.prefix}${key}`;
    const name = errorName(error);
    const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
    const detail = error instanceof Error ? error.message : String(error);
    if (name === 'NoSuchBucket') {
      return new StoreError('STORE_NOT_FOUND_BUCKET', `cannot ${operation} ${target}: bucket "${this.bucket}" does not exist`, { cause: error });
    }
    // Nothing was sent: the SDK found no credentials or no region. Say which setting is missing.
    if (name === 'CredentialsProviderError') {
      // With AWS_PROFILE set the SDK reads only that profile: "set AWS_PROFILE" would be no help.
      const profile = process.env.AWS_PROFILE?.trim();
      if (profile) {
        const files = [process.env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials', process.env.AWS_CONFIG_FILE || '~/.aws/config'];
        return new StoreError('STORE_CONFIG', `cannot ${operation} ${target}: AWS profile "${profile}" (AWS_PROFILE) could not be read: no such profile, or no credentials in it (looked in ${[...new Set(files)].join(' and ')})`, { cause: error });
      }
      return new StoreError('STORE_CONFIG', `cannot ${operation} ${target}: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)`, { cause: error });
    }
    if (/^Region is missing/i.test(detail)) {
      return new StoreError('STORE_CONFIG', `cannot ${operation} ${target}: no AWS region set (set AWS_REGION, e.g. AWS_REGION=eu-west-1)`, { cause: error });
    }
    if (ACCESS_DENIED.has(name) || status === 403) {
      return new StoreError(
        'STORE_ACCESS_DENIED',
        `cannot ${operation} ${target}: access to bucket "${this.bucket}" denied (${name})`,
        { cause: error },
      );
    }
    if (UNREACHABLE.has(name)) {
      const where = this.endpoint ?? 'S3';
      return new StoreError(
        'STORE_UNREACHABLE',
        `cannot ${operation} ${target}: ${where} unreachable for bucket "${this.bucket}" (${name || detail})`,
        { cause: error },
      );
    }
    const what = [name, status ? `HTTP ${status}` : ''].filter(Boolean).join(', ');
    return new StoreError('STORE_IO', `cannot ${operation} ${target}: ${firstLine(detail)}${what ? ` (${what})` : ''}`, { cause: error });
  }
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
]);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

/** The S3 error code (SDK `name`) or the Node errno code of a network failure. */
function errorName(error: unknown): string {
  const e = error as { name?: unknown; code?: unknown; errors?: unknown[] } | null;
  if (typeof e?.code === 'string' && UNREACHABLE.has(e.code)) return e.code;
  // Happy-eyeballs connects fail with an AggregateError carrying one error per address.
  if (Array.isArray(e?.errors) && e.errors.length > 0) return errorName(e.errors[0]);
  if (typeof e?.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e?.code === 'string' ? e.code : '';
}

/**
 * Why `endpoint` cannot be an S3 endpoint, or undefined when it can: it must parse as a URL (the
 * SDK only parses it at the first request, which would report a typo as an I/O error) with an
 * http: or https: scheme and a host.
 */
export function s3EndpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'not a valid URL (expected http(s)://host[:port])';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `the scheme must be http: or https:, not ${url.protocol} (expected http(s)://host[:port])`;
  }
  if (url.hostname === '') return 'no host (expected http(s)://host[:port])';
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function normalisePrefix(prefix: string): string {
  if (prefix === '' || prefix === '/') return '';
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  try {
    assertValidKey(trimmed);
  } catch {
    throw new StoreError('STORE_CONFIG', `invalid S3 key prefix ${JSON.stringify(prefix)} (segments of [A-Za-z0-9._@+=-])`);
  }
  return `${trimmed}/`;
}
