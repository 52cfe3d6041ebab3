import type { RunReport, TRACE_VERSION, VerdictStatus } from '../trace/model.ts';
import type { StoreError } from './errors.ts';

/**
 * The largest document a store writes or reads: 32 MiB in UTF-8. Real documents stay below 1 MiB;
 * the cap keeps a damaged or hostile object (a huge file, an endless stream) from filling memory.
 */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

/**
 * Raw object storage: a local directory or an S3 bucket. Keys are '/'-separated, relative to the
 * store's root (or prefix). Values are UTF-8 JSON text of at most MAX_DOCUMENT_BYTES.
 */
export interface BlobStore {
  /** Where the objects live, for messages: "directory /x/y" or "s3://bucket/prefix". */
  readonly location: string;
  put(key: string, body: string): Promise<void>;
  /**
   * undefined when the key does not exist. A StoreError when something is there that is not a
   * document (a symbolic link, a FIFO, over MAX_DOCUMENT_BYTES: STORE_BAD_DOCUMENT) or cannot be
   * read (STORE_PERMISSION, STORE_IO…).
   */
  get(key: string, options?: ReadOptions): Promise<string | undefined>;
  /**
   * Keys under a prefix, sorted ascending. Entries that are not documents are left out and, with
   * `onSkipped`, reported one by one. The folder the prefix names (or one above it, below the
   * root) being a link, or failing to list, fails the call.
   */
  list(prefix: string, options?: ListOptions): Promise<string[]>;
}

export interface ReadOptions {
  /**
   * A smaller limit than MAX_DOCUMENT_BYTES (a reader that holds many documents at once, like the
   * site build): a larger document is STORE_BAD_DOCUMENT, refused by its size before it is read.
   */
  maxBytes?: number;
  /** What that limit is for, in messages ("a document shown on the report site"). */
  purpose?: string;
}

/** The byte limit of one read: the reader's, never above MAX_DOCUMENT_BYTES. */
export function readLimit(options: ReadOptions): number {
  const wanted = options.maxBytes;
  return wanted !== undefined && Number.isFinite(wanted) && wanted > 0 ? Math.min(wanted, MAX_DOCUMENT_BYTES) : MAX_DOCUMENT_BYTES;
}

export interface ListOptions {
  /**
   * Called for each entry under the prefix that list() leaves out because get() could not read it.
   * Without it those entries are left out silently, except that a folder below the prefix that
   * cannot be listed fails the listing. S3 has no such entries (objects are always readable keys).
   */
  onSkipped?: (entry: SkippedEntry) => void;
}

/** Something under a listed prefix that is not a readable document (see ListOptions.onSkipped). */
export interface SkippedEntry {
  /** Where it is, as a key (a folder too: "runs/<runId>", no trailing '/'). */
  key: string;
  /**
   * 'link': a symbolic link, never followed inside a store. 'special': not a regular file nor a
   * folder (a FIFO, socket or device). 'unreadable': a folder that cannot be listed. 'empty-folder':
   * a folder that holds no documents (nothing listed nor skipped under it).
   */
  kind: 'link' | 'special' | 'unreadable' | 'empty-folder';
  /** The reason, as the one-line StoreError a get() or list() of it would throw, naming the key. */
  error: StoreError;
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
  /** The report's schema (absent in older entries): runs of another schema are not compared. */
  schema?: RunReport['schema'];
  reportKey: string;
}
