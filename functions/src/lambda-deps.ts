import { Resource } from 'sst';
import { resolveOptions, storeFromConfig } from '@discotrace/core';
import type { HandlerDeps } from './deps.ts';

let cached: HandlerDeps | undefined;

/** The bucket SST links to the function (Resource.TraceBucket); absent when run outside SST. */
function linkedBucket(): string | undefined {
  try {
    return (Resource as unknown as Record<string, { name?: string }>).TraceBucket?.name;
  } catch {
    return undefined;
  }
}

/**
 * Deployed edges, read once per container: the S3 trace store linked by SST, the system resolver and
 * real ports, no credential vault (a deployed probe never receives passwords).
 */
export function lambdaDeps(): HandlerDeps {
  cached ??= {
    store: storeFromConfig(process.env, { bucket: linkedBucket() }).store,
    options: resolveOptions({ region: (process.env.AWS_REGION ?? 'local').toLowerCase(), allowPrivateAddresses: false }),
  };
  return cached;
}
