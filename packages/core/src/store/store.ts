import type { TRACE_VERSION, VerdictStatus } from '../trace/model.ts';

/**
 * Raw object storage: a local directory or an S3 bucket. Keys are '/'-separated, relative to the
 * store's root (or prefix). Values are UTF-8 JSON text.
 */
export interface BlobStore {
  /** Where the objects live, for messages: "directory /x/y" or "s3://bucket/prefix". */
  readonly location: string;
  put(key: string, body: string): Promise<void>;
  /** undefined when the key does not exist. */
  get(key: string): Promise<string | undefined>;
  /** Keys under a prefix, sorted ascending. */
  list(prefix: string): Promise<string[]>;
}

/**
 * One entry of the per-domain archive index (a small document per run, written with the report),
 * enough to list a domain's history without reading every report.
 */
export interface RunIndexEntry {
  version: typeof TRACE_VERSION;
  runId: string;
  address: string;
  domain: string;
  region: string;
  /** The report's region group, when it was started with others (see RunReport.group). */
  group?: string;
  startedAt: string;
  /** The report's verdict status. */
  verdict: VerdictStatus;
  /** The report's verdict headline. */
  headline: string;
  reportKey: string;
}
