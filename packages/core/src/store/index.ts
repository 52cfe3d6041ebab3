/** The trace store: one interface (BlobStore), two places (a directory, S3), one key layout (TraceStore). */
export type { BlobStore, ListOptions, ReadOptions, RunIndexEntry, SkippedEntry } from './store.ts';
export { MAX_DOCUMENT_BYTES } from './store.ts';
export { StoreError, isStoreError } from './errors.ts';
export type { StoreErrorCode } from './errors.ts';
export { assertValidKey, assertValidPrefix, isValidKey } from './keys.ts';
export { LocalDirectoryStore } from './local-directory.ts';
export { S3Store } from './s3.ts';
export type { S3StoreOptions } from './s3.ts';
export {
  TraceStore,
  isIndexableDomain,
  isRunId,
  keyForDomainIndex,
  keyForPhase,
  keyForReport,
  newRunId,
} from './trace-store.ts';
export type { ListRunsOptions } from './trace-store.ts';
export { DEFAULT_STORE_DIR, storeFromConfig } from './config.ts';
export type { ConfiguredStore, StoreDefaults, StoreEnv } from './config.ts';
