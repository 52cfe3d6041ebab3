/**
 * The BlobStore/TraceStore contract, written once and run against every implementation
 * (test/store-local.test.ts, test/store-s3.test.ts). Each test gets a fresh, empty BlobStore.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRACE_VERSION } from '../../packages/core/src/trace/model.ts';
import type { PhaseTrace, RunReport } from '../../packages/core/src/trace/model.ts';
import { TraceStore, keyForReport, newRunId } from '../../packages/core/src/store/trace-store.ts';
import type { BlobStore } from '../../packages/core/src/store/store.ts';
import type { StoreErrorCode } from '../../packages/core/src/store/errors.ts';

/** A complete on-premises phase that ended in a redirectAddr hand-off, as the engine writes it. */
export function makePhase(runId: string, index: number, startedAt = '2026-12-03T17:05:12.000Z'): PhaseTrace {
  return {
    version: TRACE_VERSION,
    runId,
    index,
    role: index === 0 ? 'onprem' : 'cloud',
    address: index === 0 ? 'alice@contoso.com' : 'alice@contoso.mail.onmicrosoft.com',
    domain: index === 0 ? 'contoso.com' : 'contoso.mail.onmicrosoft.com',
    region: 'eu-west-1',
    startedAt,
    finishedAt: '2026-12-03T17:05:13.250Z',
    durationMs: 1250,
    state: 'complete',
    candidates: [
      {
        index: 0,
        source: 'root-https',
        url: 'https://contoso.com/autodiscover/autodiscover.xml',
        title: 'Root domain over HTTPS',
        status: 'failed',
        expected: false,
        summary: 'certificate is for www.contoso.com',
        durationMs: 80,
        steps: [
          {
            seq: 0,
            kind: 'tls:cert-name',
            title: 'Certificate name for contoso.com',
            status: 'fail',
            expected: false,
            summary: 'presented www.contoso.com',
            startedAt,
            durationMs: 3,
            data: { host: 'contoso.com', dnsNames: ['www.contoso.com'], commonName: 'www.contoso.com' },
            findings: [
              {
                code: 'CERT_NAME_MISMATCH',
                severity: 'warning',
                title: 'contoso.com presented a certificate for www.contoso.com',
                explanation: 'Outlook skips this candidate because the certificate does not name the host.',
                fix: 'Nothing to do if autodiscover.contoso.com answers; otherwise add contoso.com to the certificate.',
                expected: true,
                evidence: { presented: ['www.contoso.com'] },
              },
            ],
          },
        ],
      },
      {
        index: 1,
        source: 'autodiscover-https',
        url: 'https://autodiscover.contoso.com/autodiscover/autodiscover.xml',
        title: 'autodiscover.contoso.com over HTTPS',
        status: 'redirectAddr',
        expected: false,
        summary: 'redirectAddr to alice@contoso.mail.onmicrosoft.com',
        durationMs: 240,
        steps: [],
      },
    ],
    redirects: [
      {
        kind: 'redirectAddr',
        from: 'alice@contoso.com',
        to: 'alice@contoso.mail.onmicrosoft.com',
        hop: 1,
        accepted: true,
      },
    ],
    hops: 1,
    visitedUrls: ['https://contoso.com/autodiscover/autodiscover.xml'],
    visitedAddresses: ['alice@contoso.com'],
    outcome: {
      kind: 'redirectAddr',
      url: 'https://autodiscover.contoso.com/autodiscover/autodiscover.xml',
      address: 'alice@contoso.mail.onmicrosoft.com',
    },
    findings: [],
  };
}

/** A finished run report for `address`, started at `startedAt`. */
export function makeReport(runId: string, startedAt: string, address = 'alice@contoso.com'): RunReport {
  const domain = address.slice(address.indexOf('@') + 1);
  return {
    version: TRACE_VERSION,
    runId,
    address,
    domain,
    region: 'eu-west-1',
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 2000).toISOString(),
    phases: [
      { index: 0, role: 'onprem', address, key: `runs/${runId}/phase-0.json`, state: 'complete', outcome: 'settings' },
    ],
    chain: [],
    verdict: {
      status: 'found',
      headline: `Outlook finds ${address} through autodiscover.${domain}`,
      others: [],
      settings: { ewsUrl: `https://mail.${domain}/EWS/Exchange.asmx`, protocols: [{ type: 'EXCH' }] },
    },
    clients: [],
    failures: [],
  };
}

/** Asserts that `promise` rejects with a one-line StoreError of `code` whose message contains `mentions`. */
export async function rejectsWithStoreError(
  promise: Promise<unknown> | (() => unknown),
  code: StoreErrorCode,
  mentions?: string,
): Promise<Error> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof Error, `expected a StoreError ${code}, nothing was thrown`);
  assert.equal(caught.name, 'StoreError', `expected a StoreError, got ${caught.name}: ${caught.message}`);
  assert.equal((caught as { code?: string }).code, code, caught.message);
  assert.doesNotMatch(caught.message, /\n|\bat .+:\d+:\d+/, 'the message is one line with no stack');
  if (mentions !== undefined) assert.ok(caught.message.includes(mentions), `"${caught.message}" should name ${mentions}`);
  return caught;
}

/** Distinct run ids in time order: run i starts `i` minutes after the base time. */
function runIdAt(minute: number): string {
  return newRunId(new Date(Date.UTC(2026, 11, 3, 17, minute, 12)));
}

export function storeContract(name: string, makeBlobs: () => Promise<BlobStore>): void {
  describe(`${name}: trace store contract`, () => {
    it('a phase trace round-trips, and listPhases returns phases in numeric order (10 after 9)', async () => {
      const store = new TraceStore(await makeBlobs());
      const runId = newRunId();
      for (const index of [10, 0, 2, 1]) {
        const key = await store.putPhase(makePhase(runId, index));
        assert.equal(key, `runs/${runId}/phase-${index}.json`);
      }
      assert.deepEqual(await store.getPhase(runId, 0), makePhase(runId, 0));
      const phases = await store.listPhases(runId);
      assert.deepEqual(phases.map((phase) => phase.index), [0, 1, 2, 10]);
      assert.deepEqual(phases[3], makePhase(runId, 10));
    });

    it('a run report round-trips and writes its per-domain index entry', async () => {
      const blobs = await makeBlobs();
      const store = new TraceStore(blobs);
      const runId = runIdAt(5);
      const report = makeReport(runId, '2026-12-03T17:05:12.345Z');
      assert.equal(await store.putReport(report), `runs/${runId}/report.json`);
      assert.deepEqual(await store.getReport(runId), report);
      assert.deepEqual(await blobs.list('domains/'), [`domains/contoso.com/20261203T170512.345Z-${runId}.json`]);
      assert.deepEqual(await store.listRuns({ domain: 'contoso.com' }), [
        {
          version: TRACE_VERSION,
          runId,
          address: 'alice@contoso.com',
          domain: 'contoso.com',
          region: 'eu-west-1',
          startedAt: '2026-12-03T17:05:12.345Z',
          verdict: 'found',
          headline: 'Outlook finds alice@contoso.com through autodiscover.contoso.com',
          reportKey: `runs/${runId}/report.json`,
        },
      ]);
    });

    it("listRuns({ domain }) is one domain's history, newest first, case-insensitive, limited", async () => {
      const store = new TraceStore(await makeBlobs());
      const ids = [runIdAt(1), runIdAt(2), runIdAt(3)];
      // Written out of order: the index order comes from the keys, not from the writing.
      await store.putReport(makeReport(ids[1]!, '2026-12-03T17:02:12.000Z'));
      await store.putReport(makeReport(ids[2]!, '2026-12-03T17:03:12.000Z'));
      await store.putReport(makeReport(ids[0]!, '2026-12-03T17:01:12.000Z'));
      await store.putReport(makeReport(runIdAt(4), '2026-12-03T17:04:12.000Z', 'bob@fabrikam.com'));

      const runs = await store.listRuns({ domain: 'contoso.com' });
      assert.deepEqual(runs.map((run) => run.runId), [ids[2], ids[1], ids[0]]);
      assert.deepEqual((await store.listRuns({ domain: 'Contoso.COM', limit: 2 })).map((run) => run.runId), [ids[2], ids[1]]);
      assert.deepEqual(await store.listRuns({ domain: 'northwind.example' }), []);
    });

    it('listRuns() without a domain lists every run that has a report, newest first', async () => {
      const store = new TraceStore(await makeBlobs());
      const older = runIdAt(1);
      const newer = runIdAt(9);
      const unfinished = runIdAt(30);
      await store.putReport(makeReport(newer, '2026-12-03T17:09:12.000Z', 'bob@fabrikam.com'));
      await store.putReport(makeReport(older, '2026-12-03T17:01:12.000Z'));
      await store.putPhase(makePhase(unfinished, 0));
      const runs = await store.listRuns();
      assert.deepEqual(runs.map((run) => [run.runId, run.domain]), [[newer, 'fabrikam.com'], [older, 'contoso.com']]);
      assert.deepEqual((await store.listRuns({ limit: 1 })).map((run) => run.runId), [newer]);
    });

    it('a report without a domain is stored and listed, but not indexed by domain', async () => {
      const blobs = await makeBlobs();
      const store = new TraceStore(blobs);
      const runId = newRunId();
      await store.putReport({ ...makeReport(runId, '2026-12-03T17:05:12.000Z'), address: 'not an address', domain: '' });
      assert.deepEqual(await blobs.list('domains/'), []);
      assert.deepEqual((await store.listRuns()).map((run) => [run.runId, run.domain]), [[runId, '']]);
      await rejectsWithStoreError(
        () => store.putReport({ ...makeReport(newRunId(), '2026-12-03T17:05:12.000Z'), domain: 'contoso..com' }),
        'STORE_BAD_KEY',
        'invalid domain',
      );
    });

    it('a document that does not exist reads as undefined (and an empty run as no phases)', async () => {
      const store = new TraceStore(await makeBlobs());
      const runId = newRunId();
      assert.equal(await store.getPhase(runId, 0), undefined);
      assert.equal(await store.getReport(runId), undefined);
      assert.deepEqual(await store.listPhases(runId), []);
      assert.deepEqual(await store.listRuns(), []);
      assert.equal(await store.blobs.get('runs'), undefined, 'a prefix of other keys is not a key');
    });

    it('list(prefix) returns the keys under a prefix in ascending order, like S3', async () => {
      const blobs = await makeBlobs();
      for (const key of ['b.json', 'a/c/d.json', 'ab.json', 'a/b.json', 'a/B.json', 'a/b@x+y=z.json']) {
        await blobs.put(key, '{}');
      }
      assert.deepEqual(await blobs.list('a/'), ['a/B.json', 'a/b.json', 'a/b@x+y=z.json', 'a/c/d.json']);
      assert.deepEqual(await blobs.list('a'), ['a/B.json', 'a/b.json', 'a/b@x+y=z.json', 'a/c/d.json', 'ab.json']);
      assert.deepEqual(await blobs.list('a/b'), ['a/b.json', 'a/b@x+y=z.json']);
      assert.deepEqual(await blobs.list(''), ['a/B.json', 'a/b.json', 'a/b@x+y=z.json', 'a/c/d.json', 'ab.json', 'b.json']);
      assert.deepEqual(await blobs.list('nothing/'), []);
      assert.equal(await blobs.get('a/b@x+y=z.json'), '{}');
    });

    it('a put replaces the previous document', async () => {
      const blobs = await makeBlobs();
      await blobs.put('runs/x.json', '{"n":1}');
      await blobs.put('runs/x.json', '{"n":2}');
      assert.equal(await blobs.get('runs/x.json'), '{"n":2}');
      assert.deepEqual(await blobs.list('runs/'), ['runs/x.json']);
    });

    it('bad keys are rejected with STORE_BAD_KEY before anything is touched', async () => {
      const blobs = await makeBlobs();
      const bad = ['../escape.json', 'runs/../../etc/passwd', '/etc/passwd', 'runs\\x.json', 'a//b', 'a/', 'a/./b', '', 'a b', 'caf\u00e9', 'x~1.tmp'];
      for (const key of bad) {
        await rejectsWithStoreError(() => blobs.put(key, '{}'), 'STORE_BAD_KEY', JSON.stringify(key));
        await rejectsWithStoreError(() => blobs.get(key), 'STORE_BAD_KEY');
      }
      await rejectsWithStoreError(() => blobs.list('../'), 'STORE_BAD_KEY');
      await rejectsWithStoreError(() => blobs.list('/runs'), 'STORE_BAD_KEY');
      assert.deepEqual(await blobs.list(''), []);

      const store = new TraceStore(blobs);
      await rejectsWithStoreError(() => store.getPhase('../../etc', 0), 'STORE_BAD_KEY', 'run id');
      await rejectsWithStoreError(() => store.getReport('20261203T170512Z-abcdefgh'), 'STORE_BAD_KEY');
      await rejectsWithStoreError(() => store.getPhase(newRunId(), -1), 'STORE_BAD_KEY', 'phase index');
      await rejectsWithStoreError(() => store.getPhase(newRunId(), 1.5), 'STORE_BAD_KEY');
      await rejectsWithStoreError(() => store.listRuns({ domain: '../etc' }), 'STORE_BAD_KEY', 'domain');
      await rejectsWithStoreError(() => store.putPhase({ ...makePhase(newRunId(), 0), runId: 'run/1' }), 'STORE_BAD_KEY');
    });

    it('garbled JSON, another trace version or another run → STORE_BAD_DOCUMENT naming the key', async () => {
      const blobs = await makeBlobs();
      const store = new TraceStore(blobs);
      const runId = newRunId();
      const key = keyForReport(runId);

      await blobs.put(key, '{"version": 1, "runId": "trunc');
      const error = await rejectsWithStoreError(() => store.getReport(runId), 'STORE_BAD_DOCUMENT', key);
      assert.match(error.message, /not valid JSON/);
      assert.ok(error.message.includes(blobs.location), 'names where the store is');

      // A fresh run per case: s3rver may serve the previous body of an overwritten key for a moment
      // under load, and what is tested here is the reading, not overwriting.
      const v2 = newRunId();
      await blobs.put(keyForReport(v2), JSON.stringify({ ...makeReport(v2, '2026-12-03T17:05:12.000Z'), version: 2 }));
      await rejectsWithStoreError(() => store.getReport(v2), 'STORE_BAD_DOCUMENT', 'version 2');

      const array = newRunId();
      await blobs.put(keyForReport(array), '[1, 2]');
      await rejectsWithStoreError(() => store.getReport(array), 'STORE_BAD_DOCUMENT', keyForReport(array));

      const other = newRunId();
      await blobs.put(keyForReport(other), JSON.stringify(makeReport(newRunId(), '2026-12-03T17:05:12.000Z')));
      await rejectsWithStoreError(() => store.getReport(other), 'STORE_BAD_DOCUMENT', 'holds run');

      await blobs.put(store.keyForPhase(runId, 0), '');
      await rejectsWithStoreError(() => store.getPhase(runId, 0), 'STORE_BAD_DOCUMENT', `runs/${runId}/phase-0.json`);
      await rejectsWithStoreError(() => store.listPhases(runId), 'STORE_BAD_DOCUMENT');

      await blobs.put(`domains/contoso.com/20261203T170512.000Z-${runId}.json`, 'not json');
      await rejectsWithStoreError(() => store.listRuns({ domain: 'contoso.com' }), 'STORE_BAD_DOCUMENT', 'domains/contoso.com/');
    });

    it('a document that starts with a UTF-8 byte order mark is read (the BOM is dropped)', async () => {
      const blobs = await makeBlobs();
      const store = new TraceStore(blobs);
      const runId = runIdAt(7);
      const report = makeReport(runId, '2026-12-03T17:07:12.000Z');
      await blobs.put(keyForReport(runId), `\uFEFF${JSON.stringify(report, null, 2)}\n`);
      await blobs.put(store.keyForPhase(runId, 0), `\uFEFF${JSON.stringify(makePhase(runId, 0))}`);
      assert.deepEqual(await store.getReport(runId), report);
      assert.deepEqual(await store.listPhases(runId), [makePhase(runId, 0)]);
      const problems: Error[] = [];
      assert.deepEqual((await store.listRuns({ onBadDocument: (error) => problems.push(error) })).map((run) => run.runId), [runId]);
      assert.deepEqual(problems, []);
    });

    it('a damaged document full of terminal escapes gives a one-line, printable message', async () => {
      const blobs = await makeBlobs();
      const store = new TraceStore(blobs);
      const runId = newRunId();
      await blobs.put(keyForReport(runId), '\x1b]0;PWNED\x07\x1b[2J\u009b31m{"version":\n1}\n');
      const error = await rejectsWithStoreError(() => store.getReport(runId), 'STORE_BAD_DOCUMENT', keyForReport(runId));
      assert.doesNotMatch(error.message, /[\p{Cc}\p{Cf}\u2028\u2029]/u, 'no control or format character reaches a terminal');
      assert.match(error.message, /\\x1b\]0;PWNED\\x07/, 'they are shown escaped');
      const problems: Error[] = [];
      await store.listRuns({ onBadDocument: (problem) => problems.push(problem) });
      assert.equal(problems.length, 1);
      assert.doesNotMatch(problems[0]!.message, /[\p{Cc}\p{Cf}\u2028\u2029]/u);
    });

    it('refuses to write a document of another trace version', async () => {
      const blobs = await makeBlobs();
      const store = new TraceStore(blobs);
      const phase = { ...makePhase(newRunId(), 0), version: 0 } as unknown as PhaseTrace;
      await rejectsWithStoreError(() => store.putPhase(phase), 'STORE_BAD_DOCUMENT', 'version 0');
      const report = { ...makeReport(newRunId(), '2026-12-03T17:05:12.000Z'), startedAt: 'yesterday' };
      await rejectsWithStoreError(() => store.putReport(report), 'STORE_BAD_DOCUMENT', 'startedAt');
      assert.deepEqual(await blobs.list(''), []);
    });
  });
}
