/**
 * Traces on top of any BlobStore, and the only place that knows the key layout:
 *
 *   runs/<runId>/phase-<index>.json                      PhaseTrace
 *   runs/<runId>/report.json                             RunReport
 *   domains/<domain>/<startedAt compact>-<runId>.json    RunIndexEntry, written with the report
 *
 * A run's documents sit together (archive or delete a run as one prefix), and a domain's history,
 * newest first, is one list call. Every document is checked on read: JSON, this TRACE_VERSION,
 * and the run it claims to belong to.
 */
import { randomBytes } from 'node:crypto';
import { TRACE_VERSION } from '../trace/model.ts';
import type { PhaseTrace, RunReport } from '../trace/model.ts';
import { StoreError, badDocument, isStoreError } from './errors.ts';
import { compareKeys } from './keys.ts';
import type { BlobStore, ReadOptions, RunIndexEntry, SkippedEntry } from './store.ts';

// 20261203T170512Z-ABCDEFGH: a UTC second, then 40 random bits in RFC 4648 base32.
const RUN_ID = /^\d{8}T\d{6}Z-[A-Z2-7]{8}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// A DNS name as it appears in an address (IDNs in their xn-- form), compared in lower case.
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const PHASE_FILE = /^phase-(0|[1-9]\d*)\.json$/;
/** A run folder, or its report, or anything under a report key (when report.json is a folder). */
const RUN_ENTRY = /^runs\/([^/]+)(?:$|\/report\.json(?:$|\/))/;
/** Documents read at once by the list methods (keeps a local store below the open-file limit). */
const READ_CONCURRENCY = 16;

/** A new run id: time-sortable to the second, unique by 40 random bits. */
export function newRunId(now: Date = new Date()): string {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TypeError('newRunId: now must be a valid Date');
  }
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let suffix = '';
  for (let shift = 35n; shift >= 0n; shift -= 5n) suffix += BASE32[Number((bits >> shift) & 31n)];
  return `${compactTime(now, false)}-${suffix}`;
}

export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID.test(value);
}

/** A lower-case DNS name the store indexes runs by (and so a safe file or key name). */
export function isIndexableDomain(value: unknown): value is string {
  return typeof value === 'string' && DOMAIN.test(value);
}

export function keyForPhase(runId: string, index: number): string {
  return `${runPrefix(runId)}phase-${checkIndex(index)}.json`;
}

export function keyForReport(runId: string): string {
  return `${runPrefix(runId)}report.json`;
}

export function keyForDomainIndex(domain: string, startedAt: string, runId: string): string {
  const time = new Date(startedAt);
  if (typeof startedAt !== 'string' || Number.isNaN(time.getTime())) {
    throw new StoreError('STORE_BAD_DOCUMENT', `run ${runId}: startedAt ${JSON.stringify(startedAt)} is not a date`);
  }
  return `${domainPrefix(domain)}${compactTime(time, true)}-${checkRunId(runId)}.json`;
}

export interface ListRunsOptions {
  /** Only this domain's runs (read from its index); otherwise every run with a report. */
  domain?: string;
  /** At most this many, newest first. */
  limit?: number;
  /**
   * Called for a document that cannot be used, which is then left out: not JSON, another trace
   * version, not a regular file, over MAX_DOCUMENT_BYTES, a symbolic link, a folder, a run folder
   * that is a link (all STORE_BAD_DOCUMENT); a document or run folder that may not be read
   * (STORE_PERMISSION, or STORE_IO for a run folder that cannot be listed). The error is one line
   * naming the key. Without it such a document fails the whole listing. A site build passes this
   * so one damaged run does not hide the others; a store that cannot be listed still throws.
   */
  onBadDocument?: (error: StoreError) => void;
  /** Each report or index entry read at most this big (see ReadOptions): a larger one is a bad document. */
  maxBytes?: number;
  purpose?: string;
}

export class TraceStore {
  readonly blobs: BlobStore;

  constructor(blobs: BlobStore) {
    this.blobs = blobs;
  }

  /** Where the traces live, for messages: "directory /abs/path" or "s3://bucket/prefix". */
  get location(): string {
    return this.blobs.location;
  }

  keyForPhase(runId: string, index: number): string {
    return keyForPhase(runId, index);
  }

  keyForReport(runId: string): string {
    return keyForReport(runId);
  }

  keyForDomainIndex(domain: string, startedAt: string, runId: string): string {
    return keyForDomainIndex(domain, startedAt, runId);
  }

  async putPhase(trace: PhaseTrace): Promise<string> {
    checkVersion(trace, 'phase trace');
    const key = keyForPhase(trace.runId, trace.index);
    await this.blobs.put(key, serialise(trace));
    return key;
  }

  async getPhase(runId: string, index: number, options: ReadOptions = {}): Promise<PhaseTrace | undefined> {
    const key = keyForPhase(runId, index);
    const text = await this.blobs.get(key, options);
    return text === undefined ? undefined : this.checked(key, () => this.parsePhase(key, text, runId, index));
  }

  /**
   * Every stored phase of a run, in phase order (none: an empty list). A phase that cannot be
   * read (damaged, a link, a FIFO…) fails the call with its StoreError.
   */
  async listPhases(runId: string): Promise<PhaseTrace[]> {
    const prefix = runPrefix(runId);
    const found = await this.documentsUnder(prefix, (key) => {
      const name = key.slice(prefix.length).split('/', 1)[0] as string;
      return PHASE_FILE.test(name) ? prefix + name : undefined;
    });
    const indexes = found
      .map(([key, problem]) => ({ index: Number(PHASE_FILE.exec(key.slice(prefix.length))?.[1]), problem }))
      .sort((a, b) => a.index - b.index);
    const problem = indexes.find((entry) => entry.problem)?.problem;
    if (problem) throw problem;
    const phases = await mapLimit(indexes, ({ index }) => this.getPhase(runId, index));
    return phases.filter((phase) => phase !== undefined);
  }

  /**
   * Writes the report, then its domain index entry (so an entry never points at nothing). A report
   * without a domain (the address could not be parsed) is kept, but has no domain to be indexed by.
   */
  async putReport(report: RunReport): Promise<string> {
    checkVersion(report, 'run report');
    const key = keyForReport(report.runId);
    const entry = indexEntryFor(report, key);
    const entryKey = entry.domain === '' ? undefined : keyForDomainIndex(entry.domain, report.startedAt, report.runId);
    await this.blobs.put(key, serialise(report));
    if (entryKey) {
      try {
        await this.blobs.put(entryKey, serialise(entry));
      } catch (error) {
        // The run is kept; only the domain's history will not list it: say both.
        if (!isStoreError(error)) throw error;
        throw new StoreError(error.code, `the report ${key} is saved, but the domain index entry is not: ${error.message}`, { cause: error });
      }
    }
    return key;
  }

  async getReport(runId: string, options: ReadOptions = {}): Promise<RunReport | undefined> {
    const key = keyForReport(runId);
    const text = await this.blobs.get(key, options);
    return text === undefined ? undefined : this.checked(key, () => this.parseReport(key, text, runId));
  }

  /** Runs newest first: one domain's (from its index) or all (from the reports under runs/). */
  async listRuns(options: ListRunsOptions = {}): Promise<RunIndexEntry[]> {
    const { domain, limit, onBadDocument, maxBytes, purpose } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new RangeError(`listRuns: limit must be a positive integer, got ${limit}`);
    }
    const report = (error: StoreError): undefined => {
      if (!onBadDocument) throw error;
      onBadDocument(error);
      return undefined;
    };
    // Each document is read on its own: what keeps one from being used is skipped and said. A
    // permission problem here is that document's (its folders were listed a moment ago); anything
    // else (S3 unreachable, a disk error) is the store's and fails the listing.
    const readEach = <T>(found: [string, StoreError | undefined][], read: (key: string) => Promise<T | undefined>) =>
      mapLimit(found, async ([key, problem]) => {
        if (problem) return report(problem);
        try {
          return await read(key);
        } catch (error) {
          if (isStoreError(error, 'STORE_BAD_DOCUMENT') || isStoreError(error, 'STORE_PERMISSION')) return report(error);
          throw error;
        }
      });
    if (domain !== undefined) {
      const prefix = domainPrefix(domain);
      const found = await this.documentsUnder(prefix, (key) => {
        const name = key.slice(prefix.length).split('/', 1)[0] as string;
        return name.endsWith('.json') ? prefix + name : undefined;
      });
      const entries = await readEach(found.reverse().slice(0, limit), async (key) => {
        const text = await this.blobs.get(key, { maxBytes, purpose });
        return text === undefined ? undefined : this.checked(key, () => this.parseIndexEntry(key, text));
      });
      return entries.filter((entry) => entry !== undefined);
    }
    // Run ids sort by time, so the newest reports are the last keys.
    const found = await this.documentsUnder('runs/', (key) => {
      const runId = RUN_ENTRY.exec(key)?.[1];
      return isRunId(runId) ? keyForReport(runId) : undefined;
    });
    const entries = await readEach(found.reverse().slice(0, limit), async (key) => {
      const runId = key.split('/')[1] as string;
      const stored = await this.getReport(runId, { maxBytes, purpose });
      return stored && indexEntryFor(stored, key);
    });
    return entries.filter((entry) => entry !== undefined);
  }

  /**
   * The documents one listing of `prefix` holds, sorted by key. `documentOf` names the document a
   * listed or skipped key belongs to: the key itself, a key inside it (then the document is a
   * folder), or a folder on its way (e.g. a run folder for its report). Each document comes with
   * undefined when it can be read, or the StoreError that keeps it from being read.
   */
  private async documentsUnder(prefix: string, documentOf: (key: string) => string | undefined): Promise<[string, StoreError | undefined][]> {
    const skipped: SkippedEntry[] = [];
    const keys = await this.blobs.list(prefix, { onSkipped: (entry) => skipped.push(entry) });
    const found = new Map<string, StoreError | undefined>();
    for (const key of keys) if (documentOf(key) === key) found.set(key, undefined);
    const problem = (document: string, error: StoreError) => {
      // A readable document wins (S3 may hold "a.json" and "a.json/b.json" side by side), else the first problem.
      if (!found.has(document)) found.set(document, error);
    };
    for (const key of keys) {
      // A key inside a document's key: on disk, the document is a folder. (A key on the way to a
      // document, like a file "runs/<runId>", says nothing about it.)
      const document = documentOf(key);
      if (document !== undefined && key.startsWith(`${document}/`)) problem(document, this.bad(document, 'is a folder, not a document'));
    }
    for (const entry of skipped) {
      const document = documentOf(entry.key);
      if (document === undefined) continue;
      if (entry.key.startsWith(`${document}/`) || (document === entry.key && entry.kind === 'empty-folder')) {
        problem(document, this.bad(document, 'is a folder, not a document'));
      } else if (document === entry.key || entry.kind !== 'empty-folder') {
        // The document itself, or a folder on its way that is a link or cannot be listed. An empty
        // folder on the way (a run that wrote nothing yet) holds no document, and so no problem.
        problem(document, entry.error);
      }
    }
    return [...found].sort(([a], [b]) => compareKeys(a, b));
  }

  private parsePhase(key: string, text: string, runId: string, index: number): PhaseTrace {
    const doc = this.parse(key, text);
    if (doc.runId !== runId || doc.index !== index) {
      throw this.bad(key, `holds run ${quote(doc.runId)} phase ${quote(doc.index)}`);
    }
    if (!Array.isArray(doc.candidates)) throw this.bad(key, 'is not a phase trace (no candidates)');
    return doc as unknown as PhaseTrace;
  }

  private parseReport(key: string, text: string, runId: string): RunReport {
    const doc = this.parse(key, text);
    if (doc.runId !== runId) throw this.bad(key, `holds run ${quote(doc.runId)}`);
    if (!Array.isArray(doc.phases) || typeof doc.verdict !== 'object' || doc.verdict === null) {
      throw this.bad(key, 'is not a run report (no phases or verdict)');
    }
    return doc as unknown as RunReport;
  }

  private parseIndexEntry(key: string, text: string): RunIndexEntry {
    const doc = this.parse(key, text);
    if (!isRunId(doc.runId) || typeof doc.reportKey !== 'string') {
      throw this.bad(key, 'is not a run index entry (no runId or reportKey)');
    }
    return doc as unknown as RunIndexEntry;
  }

  /** JSON of this trace version, or STORE_BAD_DOCUMENT naming the key (never a SyntaxError). */
  private parse(key: string, text: string): Record<string, unknown> {
    let doc: unknown;
    try {
      // A byte order mark is not JSON, but some editors and tools write one at the start of a file.
      doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      throw this.bad(key, `is not valid JSON (${(error as Error).message})`, error);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw this.bad(key, 'is not a JSON object');
    const version = (doc as { version?: unknown }).version;
    if (version !== TRACE_VERSION) {
      throw this.bad(key, `has trace version ${quote(version)}; this discotrace reads version ${TRACE_VERSION}`);
    }
    return doc as Record<string, unknown>;
  }

  /** A check of a parsed document that fails in an unforeseen way (a value too deep to inspect…) is that document's problem. */
  private checked<T>(key: string, check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (isStoreError(error)) throw error;
      throw this.bad(key, `cannot be read (${error instanceof Error ? error.message : String(error)})`, error);
    }
  }

  private bad(key: string, problem: string, cause?: unknown): StoreError {
    return badDocument(this.location, key, problem, cause);
  }
}

/**
 * A stored value quoted in a message, cut short: a hostile document may hold megabytes there, or
 * a list nested too deep to serialise (so lists and objects are only named).
 */
function quote(value: unknown): string {
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'a list' : 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function indexEntryFor(report: RunReport, reportKey: string): RunIndexEntry {
  return {
    version: TRACE_VERSION,
    runId: report.runId,
    address: report.address,
    domain: typeof report.domain === 'string' ? report.domain.toLowerCase() : '',
    region: report.region,
    ...(isRunId(report.group) ? { group: report.group } : {}),
    startedAt: report.startedAt,
    verdict: report.verdict.status,
    headline: report.verdict.headline,
    ...(report.schema === 'outlook' || report.schema === 'mobilesync' ? { schema: report.schema } : {}),
    reportKey,
  };
}

function checkVersion(doc: { version?: unknown } | null | undefined, what: string): void {
  if (typeof doc !== 'object' || doc === null) throw new StoreError('STORE_BAD_DOCUMENT', `cannot store a ${what}: not an object`);
  if (doc.version !== TRACE_VERSION) {
    throw new StoreError(
      'STORE_BAD_DOCUMENT',
      `cannot store a ${what} of version ${JSON.stringify(doc.version)}; this discotrace writes version ${TRACE_VERSION}`,
    );
  }
}

function runPrefix(runId: string): string {
  return `runs/${checkRunId(runId)}/`;
}

function domainPrefix(domain: string): string {
  const lower = typeof domain === 'string' ? domain.toLowerCase() : '';
  if (!DOMAIN.test(lower)) throw new StoreError('STORE_BAD_KEY', `invalid domain ${JSON.stringify(domain)} for the run index`);
  return `domains/${lower}/`;
}

function checkRunId(runId: string): string {
  if (!isRunId(runId)) {
    throw new StoreError('STORE_BAD_KEY', `invalid run id ${JSON.stringify(runId)} (expected e.g. 20261203T170512Z-ABCDEFGH)`);
  }
  return runId;
}

function checkIndex(index: number): number {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new StoreError('STORE_BAD_KEY', `invalid phase index ${JSON.stringify(index)} (expected an integer ≥ 0)`);
  }
  return index;
}

/** ISO 8601 basic format in UTC: 20261203T170512Z, or 20261203T170512.345Z with milliseconds. */
function compactTime(time: Date, milliseconds: boolean): string {
  const iso = time.toISOString().replace(/[-:]/g, '');
  return milliseconds ? iso : iso.replace(/\.\d{3}Z$/, 'Z');
}

function serialise(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Promise.all over `items` with at most READ_CONCURRENCY calls in flight; results in order. */
async function mapLimit<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return results;
}
