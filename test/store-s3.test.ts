import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { storeFromConfig } from '../packages/core/src/store/config.ts';
import { S3Store } from '../packages/core/src/store/s3.ts';
import type { S3StoreOptions } from '../packages/core/src/store/s3.ts';
import { TraceStore, newRunId } from '../packages/core/src/store/trace-store.ts';
import { makeReport, rejectsWithStoreError, storeContract } from './utils/store-contract.ts';
import { startS3rver } from './utils/s3rver.ts';

const BUCKET = 'traces';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const directory = await mkdtemp(path.join(tmpdir(), 'discotrace-store-s3-'));
const s3rver = await startS3rver(directory, [BUCKET]);
const endpoint = s3rver.endpoint;
const opened: S3Store[] = [];
after(async () => {
  for (const store of opened) store.close();
  await s3rver.stop();
  await rm(directory, { recursive: true, force: true });
});

/** An S3Store against s3rver, closed in after(). */
function s3Store(options: Partial<S3StoreOptions> = {}): S3Store {
  const store = new S3Store({ bucket: BUCKET, endpoint, credentials, ...options });
  opened.push(store);
  return store;
}

// Each contract test gets its own prefix in the one bucket: a fresh, empty store.
let prefixes = 0;
storeContract('S3Store', async () => s3Store({ prefix: `contract-${++prefixes}` }));

describe('S3Store against s3rver', () => {
  it('names its location s3://bucket/prefix and stores JSON under the prefix with ContentType application/json', async () => {
    const store = s3Store({ prefix: '/archive/' });
    assert.equal(store.location, 's3://traces/archive');
    assert.equal(s3Store().location, 's3://traces');
    await store.put('runs/x/report.json', '{"a":"é"}');

    const raw = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
    try {
      const object = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'archive/runs/x/report.json' }));
      assert.equal(object.ContentType, 'application/json');
      // Byte for byte: no aws-chunked framing stored around the body.
      assert.equal(await object.Body?.transformToString('utf-8'), '{"a":"é"}');
    } finally {
      raw.destroy();
    }
  });

  it('lists across pages: 25 keys in pages of 10 (ListObjectsV2 continuation tokens)', async () => {
    const store = s3Store({ prefix: 'paged', pageSize: 10 });
    const keys = Array.from({ length: 25 }, (_, i) => `runs/k${String(i).padStart(3, '0')}.json`);
    await Promise.all(keys.map((key) => store.put(key, '{}')));
    assert.deepEqual(await store.list('runs/'), keys);
    assert.deepEqual(await store.list('runs/k01'), keys.slice(10, 20));
  });

  it('lists more than 1000 keys (past S3\'s page limit) with the default page size', async () => {
    const store = s3Store({ prefix: 'many' });
    const keys = Array.from({ length: 1003 }, (_, i) => `domains/contoso.com/${String(i).padStart(5, '0')}.json`);
    // Seeded on s3rver's disk (its 3.7.1 layout: <key>._S3rver_object + .md5): a thousand PUTs
    // take 2–6 s on this machine, the files 0.1 s. The PUT path is exercised by every other test.
    const objectDir = path.join(directory, BUCKET, 'many', 'domains', 'contoso.com');
    await mkdir(objectDir, { recursive: true });
    const md5 = createHash('md5').update('{}').digest('hex');
    await Promise.all(
      keys.map(async (key) => {
        const file = path.join(objectDir, `${path.basename(key)}._S3rver_object`);
        await writeFile(file, '{}');
        await writeFile(`${file}.md5`, md5);
      }),
    );
    assert.equal(await store.get(keys[1002]!), '{}', 's3rver serves the seeded objects');
    const listed = await store.list('domains/contoso.com/');
    assert.equal(listed.length, 1003);
    assert.deepEqual(listed, keys);
  });

  it('a missing bucket → STORE_NOT_FOUND_BUCKET naming the bucket', async () => {
    const store = s3Store({ bucket: 'no-such-bucket' });
    await rejectsWithStoreError(store.put('runs/x.json', '{}'), 'STORE_NOT_FOUND_BUCKET', 'bucket "no-such-bucket"');
    await rejectsWithStoreError(store.get('runs/x.json'), 'STORE_NOT_FOUND_BUCKET', 'no-such-bucket');
    await rejectsWithStoreError(store.list('runs/'), 'STORE_NOT_FOUND_BUCKET', 'no-such-bucket');
  });

  it('unknown credentials → STORE_ACCESS_DENIED naming the bucket', async () => {
    const store = s3Store({ credentials: { accessKeyId: 'NOT-S3RVER', secretAccessKey: 'x' } });
    await rejectsWithStoreError(store.put('runs/x.json', '{}'), 'STORE_ACCESS_DENIED', 'bucket "traces"');
  });

  it('an endpoint nobody listens on → STORE_UNREACHABLE naming the endpoint and bucket', async () => {
    const closed = await closedPort();
    const store = s3Store({ endpoint: `http://127.0.0.1:${closed}`, maxAttempts: 1 });
    const error = await rejectsWithStoreError(store.get('runs/x.json'), 'STORE_UNREACHABLE', `http://127.0.0.1:${closed}`);
    assert.match(error.message, /bucket "traces"/);
  });

  it('skips objects whose names are not store keys (written by something else)', async () => {
    const store = s3Store({ prefix: 'foreign' });
    await store.put('runs/a.json', '{}');
    const raw = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
    try {
      await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'foreign/runs/with space.json', Body: '{}' }));
    } finally {
      raw.destroy();
    }
    assert.deepEqual(await store.list('runs/'), ['runs/a.json']);
  });

  it('validates its options where they enter', () => {
    for (const [options, mentions] of [
      [{ bucket: 'Bad_Bucket' }, 'bucket name'],
      [{ bucket: BUCKET, prefix: '../up' }, 'prefix'],
      [{ bucket: BUCKET, pageSize: 0 }, 'pageSize'],
      [{ bucket: BUCKET, endpoint: 'localhost:4568' }, 'endpoint'],
    ] as [S3StoreOptions, string][]) {
      assert.throws(() => new S3Store(options), (error: Error & { code?: string }) => {
        assert.equal(error.name, 'StoreError');
        assert.equal(error.code, 'STORE_CONFIG');
        assert.ok(error.message.includes(mentions), error.message);
        return true;
      });
    }
  });

  it('a malformed DISCOTRACE_S3_ENDPOINT is a STORE_CONFIG error from storeFromConfig, naming it', () => {
    for (const [value, mentions] of [
      ['http://[::1', 'not a valid URL'],
      ['http://', 'not a valid URL'],
      ['ftp://127.0.0.1:4568', 'http: or https:'],
      ['localhost:4568', 'http: or https:'],
      ['http://127.0.0.1:4568\n\x1b[2J', 'not a valid URL'],
    ]) {
      assert.throws(
        () => storeFromConfig({ DISCOTRACE_STORE: `s3://${BUCKET}/x`, DISCOTRACE_S3_ENDPOINT: value }),
        (error: Error & { code?: string }) => {
          assert.equal(error.name, 'StoreError');
          assert.equal(error.code, 'STORE_CONFIG', `${error.message} (for ${JSON.stringify(value)})`);
          assert.ok(error.message.startsWith('DISCOTRACE_S3_ENDPOINT='), error.message);
          assert.ok(error.message.includes(mentions), `${error.message} (for ${JSON.stringify(value)})`);
          assert.doesNotMatch(error.message, /[\p{Cc}]/u);
          return true;
        },
      );
    }
    // The same rule where an S3Store is made directly, and the endpoint is not checked when unused.
    assert.throws(() => new S3Store({ bucket: BUCKET, endpoint: 'http://[::1' }), { name: 'StoreError', code: 'STORE_CONFIG' });
    assert.equal(storeFromConfig({ DISCOTRACE_STORE_DIR: directory, DISCOTRACE_S3_ENDPOINT: 'http://[::1' }).location, `directory ${directory}`);
    const ipv6 = storeFromConfig({ DISCOTRACE_STORE: `s3://${BUCKET}`, DISCOTRACE_S3_ENDPOINT: 'http://[::1]:4568' });
    (ipv6.store.blobs as S3Store).close();
  });

  it('an object over the 32 MiB document limit is refused without being read whole', async () => {
    const store = s3Store({ prefix: 'huge' });
    const raw = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
    try {
      const body = Buffer.alloc(33 * 1024 * 1024, 0x20);
      await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'huge/runs/big.json', Body: body, ContentLength: body.length }));
    } finally {
      raw.destroy();
    }
    const error = await rejectsWithStoreError(store.get('runs/big.json'), 'STORE_BAD_DOCUMENT', 'runs/big.json');
    assert.match(error.message, /32 MiB/);
  });

  it('storeFromConfig selects this S3 store from DISCOTRACE_STORE and DISCOTRACE_S3_ENDPOINT', async () => {
    const { store, location } = storeFromConfig({
      DISCOTRACE_STORE: `s3://${BUCKET}/from-config`,
      DISCOTRACE_S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    opened.push(store.blobs as S3Store);
    assert.equal(location, 's3://traces/from-config');
    const runId = newRunId();
    await store.putReport(makeReport(runId, '2026-12-03T17:05:12.000Z'));
    const reread = new TraceStore(s3Store({ prefix: 'from-config' }));
    assert.equal((await reread.getReport(runId))?.runId, runId);
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('S3 store without AWS settings', () => {
  it('names the missing setting: no credentials, an unreadable AWS_PROFILE, no region (nothing is sent)', async () => {
    const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    for (const n of names) delete process.env[n];
    // No shared files, no instance metadata: the credential chain ends here, at once.
    process.env.AWS_CONFIG_FILE = process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmpdir(), 'discotrace-no-aws-config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    try {
      const noCredentials = new S3Store({ bucket: 'traces', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
      await assert.rejects(noCredentials.get('runs/x.json'), (e: Error & { code?: string }) => e.name === 'StoreError' && e.code === 'STORE_CONFIG' && /no AWS credentials found .*AWS_ACCESS_KEY_ID/.test(e.message));
      noCredentials.close();
      // AWS_PROFILE set to a profile that is not there: say so, instead of "set … or AWS_PROFILE".
      process.env.AWS_PROFILE = 'nope';
      const noProfile = new S3Store({ bucket: 'traces', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
      await assert.rejects(noProfile.get('runs/x.json'), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'STORE_CONFIG', e.message);
        assert.match(e.message, /AWS profile "nope" \(AWS_PROFILE\) could not be read: no such profile, or no credentials in it/);
        assert.ok(e.message.includes('discotrace-no-aws-config'), `names the file looked in: ${e.message}`);
        assert.doesNotMatch(e.message, /set AWS_ACCESS_KEY_ID|or AWS_PROFILE\)/, e.message);
        return true;
      });
      noProfile.close();
      delete process.env.AWS_PROFILE;
      const noRegion = new S3Store({ bucket: 'traces', maxAttempts: 1 });
      await assert.rejects(noRegion.get('runs/x.json'), (e: Error & { code?: string }) => e.name === 'StoreError' && e.code === 'STORE_CONFIG' && /no AWS region set .*AWS_REGION/.test(e.message));
      noRegion.close();
    } finally {
      for (const n of names) {
        if (saved[n] === undefined) delete process.env[n];
        else process.env[n] = saved[n];
      }
    }
  });
});
